/* tls-asn1.h — libtasn1 with our own module (protocol/asn1/pkix.asn): strict DER
 * decoding, typed reads and field spans.  Used by tls-keys, tls-x509 and
 * tls-sig; not an API for the rest of the engine. */
#pragma once

#include <glib.h>
#include <gmp.h>
#include <libtasn1.h>

#include "tls-bytes.h"

G_BEGIN_DECLS

/* The parsed definitions of pkix.asn (loaded once, never freed). */
asn1_node_const tls_asn1_definitions (void);

/* Decodes DER as TYPE ("Certificate", "RSAPublicKey", ...) with
 * ASN1_DECODE_FLAG_STRICT_DER; the DER must be exactly one value with
 * nothing after it.  On failure sets a TLS_PKI_ERROR_BAD_DER naming WHAT
 * ("certificate", "RSA public key") and returns NULL. */
asn1_node  tls_asn1_decode        (const char *type, const guint8 *der, gsize len,
                                   const char *what, GError **error);
void       tls_asn1_free          (asn1_node node);

/* The span of element NAME of a node decoded from DER (the whole TLV). */
gboolean   tls_asn1_span          (asn1_node node, const guint8 *der, gsize len,
                                   const char *name, gsize *offset, gsize *length);
/* Adds a field for element NAME under PARENT, its offset shifted by BASE
 * (the offset of DER[0] in the annotated buffer).  NULL if NAME is absent
 * or PARENT is NULL. */
TlsField  *tls_asn1_add_field     (TlsField *parent, const char *field_name,
                                   asn1_node node, const guint8 *der, gsize len,
                                   gsize base, const char *name);
/* Where the contents of the TLV at DER start, and how long they are. */
gboolean   tls_asn1_contents      (const guint8 *der, gsize len, gsize *hdr_len,
                                   gsize *content_len);

gboolean   tls_asn1_present       (asn1_node node, const char *name);
/* The value as libtasn1 returns it (INTEGER: two's complement bytes;
 * OCTET STRING: the octets; ANY: the whole TLV; BIT STRING: see below). */
GBytes    *tls_asn1_read_bytes    (asn1_node node, const char *name);
char      *tls_asn1_read_string   (asn1_node node, const char *name); /* OID, time, CHOICE */
gboolean   tls_asn1_read_bool     (asn1_node node, const char *name, gboolean *out);
/* A BIT STRING: the bytes and the number of bits. */
GBytes    *tls_asn1_read_bits     (asn1_node node, const char *name, gsize *n_bits);
/* A non-negative INTEGER.  Fails on a negative value (and DER's minimal
 * encoding, X.690 8.3.2: no needless leading 00 or ff). */
gboolean   tls_asn1_read_mpz      (asn1_node node, const char *name, mpz_t out);
/* A small non-negative INTEGER (< 2^31). */
gboolean   tls_asn1_read_uint     (asn1_node node, const char *name, guint *out);

/* The DER of SEQUENCE { r INTEGER, s INTEGER } (Dss-Sig-Value). */
GBytes    *tls_asn1_encode_rs     (const mpz_t r, const mpz_t s);

/* The name of an OID we know ("sha256WithRSAEncryption", "commonName"),
 * or NULL. */
const char *tls_oid_name          (const char *oid);

G_END_DECLS
