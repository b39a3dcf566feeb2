/*
 * bus.h - NATS JetStream as the transport between producers and stream processors, for
 * collection and processing spread over several machines (docs/scale-out.md).
 *
 * A tick travels as one message: its JSON line (the tick format) on the subject
 * PREFIX.<market>, the market's characters outside [A-Za-z0-9_-] made '_'. When the market is a
 * market name (market.h: SOURCE:SYMBOL) the line carries it as its "Market" field, which is what
 * the stream processor routes by (the subject's token is lossy: it only has to agree); any other
 * label names the subject only. Its message id (the Nats-Msg-Id header) is
 * "<market>|<timestamp in µs>", so JetStream's de-duplication window drops a second copy of the
 * same tick, whichever producer (or restart of one) sent it.
 *
 * Publishing is asynchronous with a bounded number of messages in flight. A message whose ack
 * does not come (a leader change loses acks, a quorum loss refuses writes) is published again,
 * with the same id, until it is acknowledged: the id makes the retry safe, and nothing is dropped
 * in between. The stream processor consumes with a durable pull consumer and acknowledges a
 * message only after the batch holding it is durably committed to its market's history
 * (stream.h; lib/stream_bus.c routes each fetch by market), whose commit line also records the
 * stream sequence of the market's last message in the batch.
 *
 * Connections retry forever in the background (libnats reconnects to any server of the list).
 * Errors name the server list and JetStream's own words; no credentials are involved.
 */
#ifndef BTCSTREAM_BUS_H
#define BTCSTREAM_BUS_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

typedef struct {
    const char *urls;            /* "nats://HOST:PORT[,HOST:PORT...]" (the scheme may be omitted) */
    const char *stream;          /* JetStream stream name; default "BTCSTREAM" */
    const char *subject_prefix;  /* default "btcstream" */
    int replicas;                /* for bs_bus_init(); default 1 */
    int64_t max_age_us;          /* for bs_bus_init(); 0: messages are kept until limits apply */
    int64_t duplicate_window_us; /* for bs_bus_init(); default 10 minutes */
    int64_t timeout_us;          /* JetStream API requests; default 5 s */
    /* A message delivered and not acknowledged within this goes to the next fetch, of any
     * processor: the time a crashed processor's messages wait. Default 30 s; set when the durable
     * consumer is created. */
    int64_t ack_wait_us;
} bs_bus_options;

/* The defaults above, with urls NULL. */
BS_API bs_bus_options bs_bus_defaults(void);

typedef struct {
    char name[128];
    int replicas;
    char leader[128];     /* the server that leads the stream ("" when none) */
    int current_replicas; /* replicas reported current, the leader included */
    uint64_t messages, bytes, first_seq, last_seq;
    int64_t max_age_us, duplicate_window_us;
    char subjects[256];
} bs_bus_stream_state;

typedef struct {
    char name[128];
    uint64_t pending;    /* messages not yet delivered */
    int64_t ack_pending; /* delivered, not yet acknowledged */
    int64_t redelivered;
    uint64_t ack_floor; /* stream sequence below which all is acknowledged */
} bs_bus_consumer_state;

/*
 * Creates the stream (file storage, subjects PREFIX.>, the replicas, age limit and
 * de-duplication window asked for) or, when it exists, updates it to them, and fills *state.
 */
BS_API bs_status bs_bus_init(const bs_bus_options *opts, bs_bus_stream_state *state, bs_error *err);

/* The stream's state and up to cap of its consumers (*count receives how many). */
BS_API bs_status bs_bus_status(const bs_bus_options *opts, bs_bus_stream_state *state,
                               bs_bus_consumer_state *consumers, size_t cap, size_t *count,
                               bs_error *err);

/* The subject-safe form of a market name into out (size bytes). */
BS_API void bs_bus_subject_token(const char *market, char *out, size_t size);

/* ---- publishing ------------------------------------------------------------------------------ */

typedef struct bs_bus_publisher bs_bus_publisher;

typedef struct {
    uint64_t published;   /* messages handed to JetStream, retries included */
    uint64_t acked;       /* acknowledged by the stream (duplicates included) */
    uint64_t republished; /* sent again after a lost or refused ack */
    uint64_t waiting;     /* not acknowledged yet */
} bs_bus_publisher_stats;

/* Connects; at most max_in_flight messages wait for their ack at once (0: 4096). */
BS_API bs_status bs_bus_publisher_open(const bs_bus_options *opts, size_t max_in_flight,
                                       bs_bus_publisher **out, bs_error *err);

/*
 * Publishes one tick of market (a market name, written into the line as its Market; or another
 * label, then only in the subject and the id). Blocks while max_in_flight are waiting.
 */
BS_API bs_status bs_bus_publish(bs_bus_publisher *p, const char *market, const bs_tick *tick,
                                bs_error *err);

/*
 * Waits up to timeout_us for every message to be acknowledged, publishing again (same id) those
 * whose ack did not come. BS_ERR_NET when some are still waiting at the end (*stats says how
 * many): they stay in the publisher, and a later flush tries them again.
 */
BS_API bs_status bs_bus_publisher_flush(bs_bus_publisher *p, int64_t timeout_us, bs_error *err);

/* Fills *stats with the publisher's counts so far (see bs_bus_publisher_stats). */
BS_API void bs_bus_publisher_stats_get(const bs_bus_publisher *p, bs_bus_publisher_stats *stats);

/* Disconnects; messages still waiting are dropped (flush first). Accepts NULL. */
BS_API void bs_bus_publisher_close(bs_bus_publisher *p);

/* ---- consuming ---------------------------------------------------------------------------------
 */

typedef struct bs_bus_consumer bs_bus_consumer;

typedef struct {
    const char *data; /* the message's bytes (not NUL-terminated), valid until the next fetch */
    size_t len;
    const char *subject; /* PREFIX.TOKEN (TOKEN: the market's subject-safe form), NUL-terminated,
                            valid until the next fetch */
    uint64_t stream_seq;
    uint64_t delivered; /* 1 on first delivery */
} bs_bus_message;

/* Binds to (creating if needed) the durable pull consumer `durable` on the stream. */
BS_API bs_status bs_bus_consumer_open(const bs_bus_options *opts, const char *durable,
                                      bs_bus_consumer **out, bs_error *err);

/*
 * Fetches up to max messages, waiting up to wait_us for the first. *msgs (owned by the consumer)
 * and *count describe them; an empty fetch is BS_OK with *count 0. The previous fetch's messages
 * must have been settled (bs_bus_settle()) first.
 */
BS_API bs_status bs_bus_fetch(bs_bus_consumer *c, size_t max, int64_t wait_us,
                              const bs_bus_message **msgs, size_t *count, bs_error *err);

/*
 * Settles the last fetch once its batch is committed: acknowledges every message, or, for those
 * flagged in reject (may be NULL), terminates them so that they are never delivered again.
 */
BS_API bs_status bs_bus_settle(bs_bus_consumer *c, const unsigned char *reject, bs_error *err);

/*
 * Whether the consumer has nothing left: no message waiting and none delivered without an ack
 * (a crashed processor's messages come back after ack_wait_us, so they count as not done).
 */
BS_API bs_status bs_bus_consumer_idle(bs_bus_consumer *c, int *idle, bs_error *err);

/* Disconnects and frees the consumer; unsettled messages come back after ack_wait. Accepts NULL. */
BS_API void bs_bus_consumer_close(bs_bus_consumer *c);

#endif
