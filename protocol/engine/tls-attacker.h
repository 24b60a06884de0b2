/* tls-attacker.h — a man-in-the-middle between our two endpoints
 * (docs/attacker.md).
 *
 * The conductor passes every byte one endpoint sends to the other through
 * the attacker.  The attacker sees records only: it cannot decrypt.  It
 * names a record by the message the sender's trace step says it carries,
 * and acts on it once: tamper with a field of a plaintext handshake message
 * (the message is re-encoded, lengths follow), flip a bit, drop, replay,
 * reorder, or inject a record before it.  Each action is a step of its own
 * in the trace, by the actor TLS_ACTOR_ATTACKER.
 *
 * Action syntax (the `attack=` key of a scenario file, `run --attack`):
 *   tamper:TARGET.FIELD=VALUE     flip:TARGET@BYTE[.BIT]
 *   drop:TARGET   replay:TARGET   reorder:TARGET   inject:TARGET:TYPE:HEX
 * TARGET is [client:|server:]NAME[#N]: NAME a message as the trace names it
 * (ClientHello ... Finished, ChangeCipherSpec, ApplicationData, Alert,
 * NewSessionTicket), the prefix the sender, #N the connection (from 1). */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_ATTACK_TAMPER,
  TLS_ATTACK_FLIP,
  TLS_ATTACK_DROP,
  TLS_ATTACK_REPLAY,
  TLS_ATTACK_REORDER,
  TLS_ATTACK_INJECT,
} TlsAttackKind;

typedef struct
{
  TlsAttackKind kind;
  char   *name;          /* "ServerHello", "ApplicationData", ... */
  int     sender;        /* TlsActor, or -1: either side */
  guint   connection;    /* 0 for #1 */
  char   *field;         /* tamper: the field path after NAME ("cipher_suite") */
  GBytes *value;         /* tamper: the new bytes; inject: the fragment */
  gsize   byte;          /* flip: offset in the record's fragment */
  guint   bit;           /* flip: 0..7 */
  guint8  content_type;  /* inject: the record's type */
} TlsAttack;

/* One action; FALSE with a message naming the problem. */
TlsAttack  *tls_attack_parse      (const char *text, GError **error);
/* A ';'-separated list (empty items are skipped): a GPtrArray of TlsAttack*. */
GPtrArray  *tls_attack_parse_list (const char *text, GError **error);
/* The action in its canonical text form (parses back to the same action). */
char       *tls_attack_to_string  (const TlsAttack *a);
void        tls_attack_free       (TlsAttack *a);
const char *tls_attack_kind_name  (TlsAttackKind kind);   /* "tamper" ... */
/* The TARGET naming the record of step INDEX of TRACE (a message, alert or
 * application data step): "server:ServerHello#1"; NULL for other steps. */
char       *tls_attack_target_of_step (const TlsTrace *trace, guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsAttack, tls_attack_free)

/* ---- The conductor's side ------------------------------------------------ */

typedef struct _TlsAttacker TlsAttacker;

/* ATTACKS (of TlsAttack*) is referenced; steps go to TRACE. */
TlsAttacker *tls_attacker_new        (GPtrArray *attacks, TlsTrace *trace);
void         tls_attacker_free       (TlsAttacker *a);
/* A new connection: streams and held records start afresh. */
void         tls_attacker_start      (TlsAttacker *a, guint connection);
/* Bytes SENDER put on the wire: returns what reaches the peer now (NULL:
 * nothing).  A record an action targets is kept back until
 * tls_attacker_act. */
GBytes      *tls_attacker_pass       (TlsAttacker *a, TlsActor sender, GBytes *bytes);
/* Whether a targeted record waits for its action. */
gboolean     tls_attacker_pending    (const TlsAttacker *a);
/* The version of the connection the next action acts in (the conductor
 * knows it): the explanations cite RFC 8446 for TLS 1.3, RFC 5246 below. */
void         tls_attacker_set_version (TlsAttacker *a, guint16 version);
/* Acts on the waiting record: one attacker step in the trace.  *SENDER gets
 * the direction; returns what reaches the peer now (NULL: nothing). */
GBytes      *tls_attacker_act        (TlsAttacker *a, TlsActor *sender);
/* A record held back by reorder with nothing after it: let it go. */
GBytes      *tls_attacker_release    (TlsAttacker *a, TlsActor *sender);
/* When the run stalls: what the receiver of a dropped record waits for
 * ("the client is waiting for the ServerHelloDone the attacker dropped"),
 * or NULL when nothing was dropped in this connection. */
char        *tls_attacker_stall_reason (const TlsAttacker *a);

G_END_DECLS
