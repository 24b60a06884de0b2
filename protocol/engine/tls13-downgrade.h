/* tls13-downgrade.h — version negotiation between TLS 1.3 and TLS 1.2 and
 * the downgrade sentinels (tls13-downgrade.c; RFC 8446, 4.1.3, 4.2.1, D.1,
 * D.2): what a server that speaks TLS 1.3 writes at the end of its random
 * when it negotiates less, the version a ClientHello lists, and the rows a
 * client that offered TLS 1.3 and TLS 1.2 runs in the TLS 1.2 flow of
 * tls-client.c once the ServerHello chose TLS 1.2.  Not for other modules. */
#pragma once

#include "tls-flow.h"

/* RFC 8446, 4.1.3: the last 8 bytes of ServerHello.random of a TLS 1.3
 * server negotiating TLS 1.2 (DOWNGRD 01), or TLS 1.1 and below (DOWNGRD 00). */
extern const guint8 tls13_downgrade_12[8];
extern const guint8 tls13_downgrade_11[8];

/* The sentinel of a server whose highest version is MAX that negotiates
 * VERSION (NULL: none): DOWNGRD 01 or 00 for a TLS 1.3 server, DOWNGRD 00
 * for a TLS 1.2 server at TLS 1.1 or below. */
const guint8 *tls13_downgrade_sentinel_for (guint16 max, guint16 version);
/* The sentinel RANDOM (32 bytes) ends with, or NULL. */
const guint8 *tls13_downgrade_sentinel_in  (const guint8 *random);
/* The sentence of a TLS 1.3 server's ServerHello that carries the
 * sentinel for VERSION. */
char         *tls13_downgrade_server_text  (guint16 version);

/* The sentence added to the explanation of a TLS 1.3 ClientHello that
 * offers TLS 1.2 too (it starts with a space). */
char         *tls13_downgrade_client_hello_text (const TlsClientHello *ch);

/* The highest version CH's supported_versions lists that is at most MAX
 * (RFC 8446, 4.2.1), or 0 when it has no such extension or no such version. */
guint16       tls13_listed_version         (const TlsClientHello *ch, guint16 max);
/* Whether CH has a supported_versions extension (whatever it lists). */
gboolean      tls13_lists_versions         (const TlsClientHello *ch);

/* Rows of the TLS 1.2 client flow for a client that also offered TLS 1.3
 * (cfg.max_version is TLS 1.3): the version decision right after the
 * ServerHello (protocol_version for a legacy_version of TLS 1.3 or more)
 * and the check of the sentinels (illegal_parameter when one is there). */
gboolean      tls13_offered                (TlsEndpoint *ep);
gboolean      tls13_decide_legacy_version  (TlsEndpoint *ep);
gboolean      tls13_check_downgrade        (TlsEndpoint *ep);
