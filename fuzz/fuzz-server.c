/* fuzz-server.c — libFuzzer target: our server endpoint fed a byte stream
 * as a client would send it (records carrying ClientHello, key exchange,
 * ChangeCipherSpec, Finished, application data, alerts...), then the text
 * trace of what it did, as `serve` prints it.
 *
 * Byte 0 chooses the server's configuration (fuzz-endpoints.h); the rest
 * is what the client sent.  Seeds (fuzz/corpus/server) are the client's
 * side of real handshakes (fuzz-seeds) and the ClientHellos of OpenSSL and
 * GnuTLS in tests/data. */
#include "fuzz-endpoints.h"
#include "tls-trace-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FuzzEndpoint f;
  g_autofree char *text = NULL;

  if (size < 1)
    return 0;
  fuzz_endpoint_init (&f, TLS_ACTOR_SERVER, &fuzz_pairings[data[0] % G_N_ELEMENTS (fuzz_pairings)]);
  tls_endpoint_feed (f.ep, data + 1, size - 1);
  fuzz_endpoint_run (&f, NULL);
  tls_endpoint_feed_eof (f.ep);
  fuzz_endpoint_run (&f, NULL);
  tls_endpoint_record_result (f.ep);
  text = tls_trace_to_text (f.trace, 0);
  if (g_getenv ("FUZZ_SHOW") != NULL)     /* fuzz-replay: what the endpoint did */
    g_print ("%s\n", text);
  fuzz_endpoint_clear (&f);
  return 0;
}
