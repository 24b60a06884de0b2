/* tls13-share.c — the key pair behind a TLS 1.3 key share (RFC 8446,
 * 4.2.8): ECDHE (tls-kx-ecdh.c) or the RFC 7919 finite-field groups
 * (tls-kx-dh.c) with the padding rules of RFC 8446, 4.2.8.1 and 7.4.1. */
#include "tls13-share.h"
#include "tls-alert.h"
#include "tls-kx-dh.h"
#include "tls-kx-ecdh.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _Tls13Share
{
  guint16           group;
  TlsEcdhKey       *ecdh;   /* an elliptic-curve group */
  TlsDhKey         *dh;     /* a finite-field group */
  const TlsDhGroup *ff;
};

gboolean
tls13_share_is_ffdhe (guint16 group)
{
  return group == TLS_GROUP_FFDHE2048 || group == TLS_GROUP_FFDHE3072;
}

gboolean
tls13_share_supported (guint16 group)
{
  return tls_ecdh_group_supported (group) || tls13_share_is_ffdhe (group);
}

Tls13Share *
tls13_share_new (guint16 group, TlsRng *rng)
{
  Tls13Share *s = g_new0 (Tls13Share, 1);

  s->group = group;
  if (tls13_share_is_ffdhe (group))
    {
      TlsDhParams params;

      s->ff = tls_dh_group_by_id (group);
      tls_dh_group_params (s->ff, &params);
      s->dh = tls_dh_keygen (&params, rng);
    }
  else if (tls_ecdh_group_supported (group))
    s->ecdh = tls_ecdh_keygen (group, rng);
  if (s->dh == NULL && s->ecdh == NULL)
    {
      tls13_share_free (s);
      return NULL;
    }
  return s;
}

void
tls13_share_free (Tls13Share *s)
{
  if (s == NULL)
    return;
  g_clear_pointer (&s->ecdh, tls_ecdh_key_free);
  g_clear_pointer (&s->dh, tls_dh_key_free);
  g_free (s);
}

GBytes *
tls13_share_public (const Tls13Share *s)
{
  /* tls_dh_key_public pads Y to the length of p, as 4.2.8.1 wants. */
  return s->dh != NULL ? tls_dh_key_public (s->dh) : tls_ecdh_public (s->ecdh);
}

int
tls13_share_derive (const Tls13Share *s, const guint8 *peer, gsize len, GBytes **Z,
                    char **reason)
{
  g_autoptr (GBytes) z = NULL;
  guint8 *padded;
  gsize zlen;

  if (s->ecdh != NULL)
    return tls_ecdh_shared (s->ecdh, peer, len, Z, reason);
  *Z = NULL;
  if (len != s->ff->p_len)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("the key_exchange has %zu bytes; Y padded to the size of p "
                                     "has %zu"), len, s->ff->p_len);
      return TLS_ALERT_ILLEGAL_PARAMETER;
    }
  if (!tls_dh_shared (s->dh, peer, len, &z, reason))   /* 1 < Y < p-1, and Y^q = 1 */
    return TLS_ALERT_ILLEGAL_PARAMETER;
  /* tls_dh_shared strips the leading zeros (RFC 5246, 8.1.2); TLS 1.3
   * puts them back: Z as long as p (7.4.1). */
  zlen = g_bytes_get_size (z);
  g_assert (zlen <= s->ff->p_len);
  padded = g_malloc0 (s->ff->p_len);
  memcpy (padded + s->ff->p_len - zlen, g_bytes_get_data (z, NULL), zlen);
  *Z = g_bytes_new_take (padded, s->ff->p_len);
  return 0;
}
