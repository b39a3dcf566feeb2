/*
 * bus_admin.c - `btcstream bus init` and `bus status`: the stream's configuration and state.
 * The stream holds PREFIX.> in files (a tick is data a collector cannot fetch again), replicated
 * as asked, with a de-duplication window long enough to cover a producer's retries after a
 * leader change or a restart.
 */
#include <stdio.h>
#include <string.h>

#include "bus_conn.h"

static void fill_state(const jsStreamInfo *si, bs_bus_stream_state *st) {
    memset(st, 0, sizeof *st);
    snprintf(st->name, sizeof st->name, "%s", si->Config->Name);
    st->replicas = (int)si->Config->Replicas;
    st->messages = si->State.Msgs;
    st->bytes = si->State.Bytes;
    st->first_seq = si->State.FirstSeq;
    st->last_seq = si->State.LastSeq;
    st->max_age_us = si->Config->MaxAge / 1000;
    st->duplicate_window_us = si->Config->Duplicates / 1000;
    if (si->Config->SubjectsLen > 0)
        snprintf(st->subjects, sizeof st->subjects, "%s", si->Config->Subjects[0]);
    st->current_replicas = 1;
    if (si->Cluster) {
        snprintf(st->leader, sizeof st->leader, "%s", si->Cluster->Leader ? si->Cluster->Leader : "");
        st->current_replicas = si->Cluster->Leader ? 1 : 0;
        for (int i = 0; i < si->Cluster->ReplicasLen; i++)
            st->current_replicas += si->Cluster->Replicas[i]->Current ? 1 : 0;
    }
}

bs_status bs_bus_init(const bs_bus_options *opts, bs_bus_stream_state *state, bs_error *err) {
    bs_bus_options o = bus_resolve(opts);
    bus_conn c;
    bs_status st = bus_conn_open(&c, &o, NULL, err);
    if (st != BS_OK) return st;
    char subject[256];
    snprintf(subject, sizeof subject, "%s.>", o.subject_prefix);
    const char *subjects[] = {subject};
    jsStreamConfig cfg;
    NATS(jsStreamConfig_Init)(&cfg);
    cfg.Name = o.stream;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    cfg.Replicas = o.replicas;
    cfg.MaxAge = o.max_age_us * 1000;
    cfg.Duplicates = o.duplicate_window_us * 1000;
    jsStreamInfo *si = NULL;
    jsErrCode code = 0;
    natsStatus s = NATS(js_AddStream)(&si, c.js, &cfg, NULL, &code);
    if (s != NATS_OK && code == JSStreamNameExistErr) {
        code = 0;
        s = NATS(js_UpdateStream)(&si, c.js, &cfg, NULL, &code);
    }
    if (s == NATS_OK) fill_state(si, state);
    else st = bus_fail(err, &c, "cannot create or update the stream", s, code);
    NATS(jsStreamInfo_Destroy)(si);
    bus_conn_close(&c);
    return st;
}

bs_status bs_bus_status(const bs_bus_options *opts, bs_bus_stream_state *state,
                        bs_bus_consumer_state *consumers, size_t cap, size_t *count,
                        bs_error *err) {
    bs_bus_options o = bus_resolve(opts);
    *count = 0;
    bus_conn c;
    bs_status st = bus_conn_open(&c, &o, NULL, err);
    if (st != BS_OK) return st;
    jsStreamInfo *si = NULL;
    jsErrCode code = 0;
    natsStatus s = NATS(js_GetStreamInfo)(&si, c.js, o.stream, NULL, &code);
    if (s != NATS_OK) {
        st = bus_fail(err, &c, code == JSStreamNotFoundErr
                                   ? "no such stream (create it with 'btcstream bus init')"
                                   : "cannot read the stream's state",
                      s, code);
        bus_conn_close(&c);
        return st;
    }
    fill_state(si, state);
    NATS(jsStreamInfo_Destroy)(si);
    jsConsumerInfoList *list = NULL;
    s = NATS(js_Consumers)(&list, c.js, o.stream, NULL, &code);
    if (s == NATS_NOT_FOUND) s = NATS_OK; /* no consumer yet */
    for (int i = 0; s == NATS_OK && list && i < list->Count && *count < cap; i++) {
        const jsConsumerInfo *ci = list->List[i];
        bs_bus_consumer_state *cs = &consumers[(*count)++];
        memset(cs, 0, sizeof *cs);
        snprintf(cs->name, sizeof cs->name, "%s", ci->Name);
        cs->pending = ci->NumPending;
        cs->ack_pending = ci->NumAckPending;
        cs->redelivered = ci->NumRedelivered;
        cs->ack_floor = ci->AckFloor.Stream;
    }
    if (s != NATS_OK) st = bus_fail(err, &c, "cannot list the consumers", s, code);
    NATS(jsConsumerInfoList_Destroy)(list);
    bus_conn_close(&c);
    return st;
}
