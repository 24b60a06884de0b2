/* tls13-hello-fields.h — the legacy fields of a TLS 1.3 hello, described
 * as RFC 8446, 4.1.2 and 4.1.3 describe them.
 *
 * The codecs of tls-msg-client-hello.c and tls-msg-server-hello.c describe
 * their fields as RFC 5246 does; they do not look at the extensions (which
 * would make them depend on tls13-extensions.c, which uses them).  The
 * code that puts a hello in a trace calls this afterwards. */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

/* MSG is one whole handshake message (header included) and ROOT the field
 * tree its codec made.  A ClientHello offering TLS 1.3 and a ServerHello
 * (or HelloRetryRequest) choosing it, both per supported_versions, get the
 * texts of RFC 8446 for legacy_version, random (no date: it holds no time),
 * legacy_session_id(_echo), cipher_suite(s) and legacy_compression_method(s).
 * A ServerHello of an earlier version whose random ends with a downgrade
 * sentinel gets that said.  Any other message is left alone; field names
 * never change. */
void tls13_hello_fields_describe (TlsField *root, GBytes *msg);
