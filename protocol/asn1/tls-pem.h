/* tls-pem.h — PEM armour (RFC 7468): "-----BEGIN LABEL-----", base64,
 * "-----END LABEL-----", as OpenSSL writes certificates and keys.
 *
 * Also the error domain of the whole keys-and-certificates area
 * (tls-pem, tls-keys, tls-x509, tls-sig, tls-verify). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TLS_PKI_ERROR (tls_pki_error_quark ())
GQuark tls_pki_error_quark (void);

typedef enum
{
  TLS_PKI_ERROR_NO_PEM,        /* no "-----BEGIN ...-----" block (with the label asked for) */
  TLS_PKI_ERROR_BAD_PEM,       /* a block without its END line, or END with another label */
  TLS_PKI_ERROR_BAD_BASE64,    /* characters or padding that are not base64 */
  TLS_PKI_ERROR_ENCRYPTED,     /* an encrypted private key: we take no passwords */
  TLS_PKI_ERROR_BAD_DER,       /* the DER does not decode as what it should be */
  TLS_PKI_ERROR_UNSUPPORTED,   /* a well-formed key or algorithm we do not handle */
  TLS_PKI_ERROR_BAD_KEY,       /* a key whose numbers are inconsistent */
  TLS_PKI_ERROR_MISMATCH,      /* a private key that does not belong to the certificate */
  TLS_PKI_ERROR_SIGNATURE,     /* signing failed */
} TlsPkiError;

typedef struct
{
  char   *label;     /* "CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", ... */
  char   *headers;   /* RFC 1421 header lines ("Proc-Type: 4,ENCRYPTED\n..."), or NULL */
  GBytes *der;       /* the decoded body */
  gsize   offset;    /* where the BEGIN line starts in the text */
} TlsPemBlock;

void        tls_pem_block_free (TlsPemBlock *block);

/* Every PEM block of TEXT, in order, whose label is LABEL (NULL: any label).
 * Text outside the blocks (OpenSSL's "Bag Attributes", comments) is skipped.
 * Returns a GPtrArray of TlsPemBlock* that holds at least one block, or NULL
 * with ERROR set: no block (TLS_PKI_ERROR_NO_PEM), a block without its END
 * line (BAD_PEM), a body that is not base64 (BAD_BASE64).  The messages
 * name the line. */
GPtrArray  *tls_pem_decode     (const char *text, gsize len, const char *label,
                                GError **error);
/* The same for a file (a G_FILE_ERROR when it cannot be read). */
GPtrArray  *tls_pem_read_file  (const char *path, const char *label, GError **error);

/* The PEM armour of DER under LABEL, lines of 64 characters. */
char       *tls_pem_encode     (const char *label, const guint8 *der, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsPemBlock, tls_pem_block_free)

G_END_DECLS
