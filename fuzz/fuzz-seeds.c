/* fuzz-seeds.c — writes the seed corpora of the harnesses from real runs:
 *
 *   fuzz-seeds DIR      (DIR is fuzz/corpus; run it from the source tree)
 *
 *   DIR/server/NAME, DIR/client/NAME   our client and our server, configured
 *        as the endpoint harnesses configure them (fuzz-endpoints.h), run a
 *        whole handshake against each other; the bytes each side received
 *        are the other harness's seed (byte 0: the pairing).  Plus the
 *        ClientHellos OpenSSL and GnuTLS sent (tests/data/client-hello-*.hex,
 *        TLS 1.2 and TLS 1.3 only), each in a record, for the server.
 *   DIR/record/NAME     two records sealed with fuzz-record.c's keys
 *   DIR/x509/NAME       the demo PKI's chains, DER one after the other
 * The JSON seeds (DIR/trace-json) come from `handshake-lab run --trace-json`
 * (fuzz/meson.build says how). */
#include "fuzz-endpoints.h"

#include <string.h>

#include "tls-prf.h"
#include "tls-record.h"

static void
write_seed (const char *dir, const char *sub, const char *name, guint8 first,
            const guint8 *data, gsize len)
{
  g_autofree char *d = g_build_filename (dir, sub, NULL);
  g_autofree char *path = g_build_filename (d, name, NULL);
  g_autoptr (GByteArray) b = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_mkdir_with_parents (d, 0755);
  g_byte_array_append (b, &first, 1);
  g_byte_array_append (b, data, len);
  if (!g_file_set_contents (path, (const char *) b->data, b->len, &error))
    g_error ("%s", error->message);
  g_print ("%s (%u bytes)\n", path, b->len);
}

static void
endpoints (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (fuzz_pairings); i++)
    {
      const FuzzPairing *p = &fuzz_pairings[i];
      FuzzEndpoint c, s;
      g_autoptr (GByteArray) to_server = g_byte_array_new ();
      g_autoptr (GByteArray) to_client = g_byte_array_new ();
      const char hello[] = FUZZ_REQUEST;

      fuzz_endpoint_init (&c, TLS_ACTOR_CLIENT, p);
      fuzz_endpoint_init (&s, TLS_ACTOR_SERVER, p);
      fuzz_handshake (&c, &s, to_server, to_client);
      if (tls_endpoint_status (c.ep) != TLS_EP_DONE || tls_endpoint_status (s.ep) != TLS_EP_DONE)
        g_error ("%s: the handshake did not complete (%s)", p->name,
                 tls_endpoint_reason (c.ep) ? tls_endpoint_reason (c.ep) : "?");
      if (p->resume && !tls_endpoint_resumed (s.ep))
        g_error ("%s: the server did not resume", p->name);
      if (p->early_data && tls_endpoint_early_data (s.ep) != TLS_EARLY_ACCEPTED)
        g_error ("%s: the server did not accept the early data", p->name);
      /* Application data and close_notify both ways; key_update: the
       * client's KeyUpdate asks for the server's (update_requested), which
       * the server sends before its data (RFC 8446, 4.6.3). */
      if (p->key_update && !tls_endpoint_key_update (c.ep, TRUE))
        g_error ("%s: no KeyUpdate", p->name);
      tls_endpoint_send (c.ep, (const guint8 *) hello, strlen (hello));
      tls_endpoint_close (c.ep);
      fuzz_pass (&c, &s, to_server);
      tls_endpoint_send (s.ep, (const guint8 *) "HTTP/1.0 200 OK\r\n\r\n", 19);
      tls_endpoint_close (s.ep);
      fuzz_pass (&s, &c, to_client);
      write_seed (dir, "server", p->name, (guint8) i, to_server->data, to_server->len);
      write_seed (dir, "client", p->name, (guint8) i, to_client->data, to_client->len);
      fuzz_endpoint_clear (&c);
      fuzz_endpoint_clear (&s);
    }

  /* The interop peers' ClientHellos (handshake messages in hex), in a
   * record, for a TLS 1.2 server (pairing 0) or a TLS 1.3 one (pairing 6). */
  static const struct { const char *name; guint8 pairing; } hellos[] = {
    { "client-hello-openssl-3.0", 0 },
    { "client-hello-gnutls-3.7", 0 },
    { "client-hello-openssl-3.0-tls13", 6 },
    { "client-hello-gnutls-3.7-tls13", 6 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (hellos); i++)
    {
      const char *name = hellos[i].name;
      g_autofree char *file = g_strdup_printf ("tests/data/%s.hex", name);
      g_autofree char *text = NULL;
      g_autoptr (GByteArray) rec = g_byte_array_new ();
      g_auto (GStrv) lines = NULL;
      guint8 head[5] = { 22, 3, 1, 0, 0 };

      if (!g_file_get_contents (file, &text, NULL, NULL))
        g_error ("cannot read %s (run from the source tree)", file);
      g_byte_array_append (rec, head, 5);
      lines = g_strsplit (text, "\n", -1);
      for (char **l = lines; *l != NULL; l++)
        {
          if (**l == '#')
            continue;
          for (const char *h = *l; g_ascii_isxdigit (h[0]) && g_ascii_isxdigit (h[1]); h += 2)
            {
              guint8 b = (guint8) (g_ascii_xdigit_value (h[0]) << 4 | g_ascii_xdigit_value (h[1]));
              g_byte_array_append (rec, &b, 1);
            }
        }
      rec->data[3] = (guint8) ((rec->len - 5) >> 8);
      rec->data[4] = (guint8) (rec->len - 5);
      write_seed (dir, "server", name, hellos[i].pairing, rec->data, rec->len);
    }
}

/* The keys of fuzz-record.c. */
static TlsProtection *
protection (const TlsSuite *suite, guint16 version, gboolean etm)
{
  guint8 mac_key[64], key[64], iv[64];

  for (guint i = 0; i < 64; i++)
    {
      mac_key[i] = (guint8) (i + 1);
      key[i] = (guint8) (0x40 + i);
      iv[i] = (guint8) (0x80 + i);
    }
  return tls_protection_new (suite, version, mac_key, key,
                             tls_key_block_iv_len (tls_cipher_info (suite->cipher), version) ? iv : NULL,
                             etm);
}

static void
records (const char *dir)
{
  static const struct { const char *suite; guint8 flags; const char *name; } cases[] = {
    { "TLS_RSA_WITH_AES_128_CBC_SHA", 2 | 4, "aes128-cbc-sha-tls12-etm" },
    { "TLS_RSA_WITH_AES_128_CBC_SHA", 2, "aes128-cbc-sha-tls12-mte" },
    { "TLS_RSA_WITH_AES_256_CBC_SHA", 0, "aes256-cbc-sha-tls10" },
    { "TLS_RSA_WITH_AES_128_GCM_SHA256", 2, "aes128-gcm-tls12" },
    { "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 2, "chacha20-tls12" },
    { "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 1, "3des-tls11" },
    { "TLS_RSA_WITH_RC4_128_SHA", 2, "rc4-sha-tls12" },
    { "TLS_RSA_WITH_AES_128_CBC_SHA", 2 | 8, "plaintext" },
  };
  guint n;
  const TlsSuite **all = tls_suite_all (&n);
  static const guint16 versions[] = { TLS_VERSION_1_0, TLS_VERSION_1_1, TLS_VERSION_1_2, TLS_VERSION_1_2 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const TlsSuite *suite = tls_suite_by_name (cases[i].suite);
      guint16 version = versions[cases[i].flags & 3];
      g_autoptr (TlsProtection) prot = NULL;
      g_autoptr (TlsRng) rng = tls_rng_new_seeded (2, "record seeds");
      g_autoptr (GByteArray) out = g_byte_array_new ();
      guint8 flags = cases[i].flags, idx = 0;
      const char one[] = "GET / HTTP/1.0\r\n\r\n", two[] = "\x01\x00";

      if (suite == NULL)
        continue;
      for (guint j = 0; j < n; j++)
        if (all[j] == suite)
          idx = (guint8) j;
      if (!(flags & 8))
        prot = protection (suite, version, (flags & 4) != 0);
      tls_record_seal (prot, TLS_CONTENT_APPLICATION_DATA, version, (const guint8 *) one, strlen (one), rng, out, NULL);
      tls_record_seal (prot, TLS_CONTENT_ALERT, version, (const guint8 *) two, 2, rng, out, NULL);
      g_byte_array_append (out, (const guint8 *) "left for the round trip", 23);
      g_byte_array_prepend (out, &flags, 1);
      write_seed (dir, "record", cases[i].name, idx, out->data, out->len);
    }
}

static void
certificates (const char *dir)
{
  static const struct { const char *file; guint8 flags; } chains[] = {
    { "server-rsa-chain.pem", 5 },
    { "server-ecdsa-chain.pem", 5 },
    { "server-dsa-chain.pem", 4 },
    { "client-rsa-chain.pem", 2 },
    { "expired-chain.pem", 5 },
    { "out-of-order-chain.pem", 5 },
    { "intermediate-not-ca-chain.pem", 0 },
    { "missing-intermediate-chain.pem", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (chains); i++)
    {
      GPtrArray *chain = fuzz_load_chain (chains[i].file);
      g_autoptr (GByteArray) der = g_byte_array_new ();
      g_autofree char *name = g_strndup (chains[i].file, strlen (chains[i].file) - 4);

      for (guint j = 0; j < chain->len; j++)
        {
          GBytes *b = tls_certificate_get_der (chain->pdata[j]);
          g_byte_array_append (der, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
        }
      write_seed (dir, "x509", name, chains[i].flags, der->data, der->len);
      g_ptr_array_unref (chain);
    }
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      g_printerr ("usage: fuzz-seeds DIR   (from the source tree: fuzz-seeds fuzz/corpus)\n");
      return 2;
    }
  endpoints (argv[1]);
  records (argv[1]);
  certificates (argv[1]);
  return 0;
}
