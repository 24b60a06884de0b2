/* tls-msg-alert.h — the Alert message (RFC 5246, 7.2): a pure codec.
 *
 *     enum { warning(1), fatal(2), (255) } AlertLevel;
 *
 *     struct {
 *         AlertLevel level;
 *         AlertDescription description;
 *     } Alert;
 *
 * An alert travels in its own record type (alert, 21), not in a handshake
 * message: R is the two bytes of one alert.  Named TlsAlertMsg because
 * TlsAlert (tls-alert.h) is the enum of descriptions.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

typedef struct
{
  guint8 level;         /* TlsAlertLevel */
  guint8 description;   /* TlsAlert */
} TlsAlertMsg;

/* Returns 0, or decode_error when R does not hold exactly two bytes.
 * Unknown levels and descriptions parse (shown as unknown); what to do
 * with them is the receiver's decision. */
int  tls_alert_msg_parse (TlsReader *r, TlsAlertMsg *m);
void tls_alert_msg_write (TlsWriter *w, const TlsAlertMsg *m);

const char *tls_alert_level_name (guint8 level);   /* "fatal", "unknown" */

G_END_DECLS
