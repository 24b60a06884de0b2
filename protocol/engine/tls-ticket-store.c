/* tls-ticket-store.c — single-use tickets (tls-ticket-store.h). */
#include "tls-ticket-store.h"

struct _TlsTicketStore
{
  GMutex      lock;       /* serve handles several clients at once */
  guint       capacity;
  GQueue      order;      /* of GBytes*: the outstanding tickets, oldest first */
  GHashTable *index;      /* GBytes* -> its GList link in ORDER */
};

TlsTicketStore *
tls_ticket_store_new (guint capacity)
{
  TlsTicketStore *store = g_new0 (TlsTicketStore, 1);

  g_mutex_init (&store->lock);
  store->capacity = MAX (capacity, 1);
  g_queue_init (&store->order);
  store->index = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  return store;
}

void
tls_ticket_store_free (TlsTicketStore *store)
{
  if (store == NULL)
    return;
  g_hash_table_destroy (store->index);
  g_queue_clear_full (&store->order, (GDestroyNotify) g_bytes_unref);
  g_mutex_clear (&store->lock);
  g_free (store);
}

/* Takes LINK out of the store; called with the lock held. */
static void
drop (TlsTicketStore *store, GList *link)
{
  GBytes *ticket = link->data;

  g_hash_table_remove (store->index, ticket);
  g_queue_delete_link (&store->order, link);
  g_bytes_unref (ticket);
}

void
tls_ticket_store_add (TlsTicketStore *store, GBytes *ticket)
{
  g_mutex_lock (&store->lock);
  if (!g_hash_table_contains (store->index, ticket))
    {
      if (store->order.length >= store->capacity)
        drop (store, store->order.head);
      g_queue_push_tail (&store->order, g_bytes_ref (ticket));
      g_hash_table_insert (store->index, store->order.tail->data, store->order.tail);
    }
  g_mutex_unlock (&store->lock);
}

gboolean
tls_ticket_store_take (TlsTicketStore *store, GBytes *ticket)
{
  GList *link;

  g_mutex_lock (&store->lock);
  link = g_hash_table_lookup (store->index, ticket);
  if (link != NULL)
    drop (store, link);
  g_mutex_unlock (&store->lock);
  return link != NULL;
}

guint
tls_ticket_store_len (TlsTicketStore *store)
{
  guint n;

  g_mutex_lock (&store->lock);
  n = store->order.length;
  g_mutex_unlock (&store->lock);
  return n;
}

guint
tls_ticket_store_capacity (const TlsTicketStore *store)
{
  return store->capacity;
}
