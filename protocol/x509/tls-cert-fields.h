/* tls-cert-fields.h — the certificates of a Certificate message dissected
 * like messages.
 *
 * Each "certificate [i]" of the message's certificate_list (RFC 5246,
 * 7.4.2) gets, under its "data", the certificate's own field tree as the
 * X.509 decoder builds it (RFC 5280, 4.1: version, serialNumber,
 * signature, issuer, validity, subject, subjectPublicKeyInfo, each
 * extension with its criticality, signatureAlgorithm, signatureValue),
 * its spans moved onto the message's bytes: every field names its bytes,
 * in the window and in every export. */
#pragma once

#include <glib.h>

#include "tls-bytes.h"

G_BEGIN_DECLS

/* ROOT: the message's field tree; MSG: the message's bytes (the handshake
 * header included, as ROOT's offsets count).  A certificate that does not
 * decode keeps its "data" as a leaf, its description saying why.  Returns
 * the number of certificates dissected. */
guint tls_certificate_msg_dissect (TlsField *root, GBytes *msg);
/* The same, taking the tree of a certificate of KNOWN (TlsCertificate*,
 * may be NULL) whose DER is the one in the message instead of decoding it
 * again: a sender's own chain, decoded when it was loaded. */
guint tls_certificate_msg_dissect_known (TlsField *root, GBytes *msg, GPtrArray *known);

G_END_DECLS
