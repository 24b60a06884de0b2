/* fuzz-client.c — libFuzzer target: our client endpoint, once its
 * ClientHello is out, fed a byte stream as a server would send it
 * (ServerHello ... ServerHelloDone, ChangeCipherSpec, Finished, tickets,
 * application data, alerts), then the text trace of what it did.
 *
 * Byte 0 chooses the client's configuration (fuzz-endpoints.h); the rest
 * is what the server sent.  Seeds (fuzz/corpus/client) are the server's
 * side of real handshakes (fuzz-seeds): with the same seeded client they
 * replay a whole handshake, chain check and Finished included. */
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
  fuzz_endpoint_init (&f, TLS_ACTOR_CLIENT, &fuzz_pairings[data[0] % G_N_ELEMENTS (fuzz_pairings)]);
  fuzz_endpoint_run (&f, NULL);            /* the ClientHello */
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
