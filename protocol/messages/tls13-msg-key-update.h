/* tls13-msg-key-update.h — the TLS 1.3 KeyUpdate (RFC 8446, 4.6.3): a
 * pure codec.
 *
 *     enum {
 *         update_not_requested(0), update_requested(1), (255)
 *     } KeyUpdateRequest;
 *
 *     struct {
 *         KeyUpdateRequest request_update;
 *     } KeyUpdate;
 *
 * "If an implementation receives any other value, it MUST terminate the
 * connection with an "illegal_parameter" alert."  The next traffic secret
 * is tls13_derive_traffic_update (tls13-key-schedule.h).
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

#define TLS13_KEY_UPDATE_NOT_REQUESTED 0
#define TLS13_KEY_UPDATE_REQUESTED     1

/* Returns 0 with *REQUEST_UPDATE set; decode_error when the body is not
 * one byte, illegal_parameter for a value other than 0 or 1. */
int  tls13_key_update_parse (TlsReader *r, guint8 *request_update);
void tls13_key_update_write (TlsWriter *w, const guint8 *request_update);
/* "update_requested", "update_not_requested" or "?" */
const char *tls13_key_update_name (guint8 request_update);

G_END_DECLS
