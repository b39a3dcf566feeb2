/*
 * bus_nats.h (private) - libnats, loaded the first time the bus is used, as lazy_libs.c does for
 * libcurl and XGBoost. Linked, libnats and the OpenSSL it brings cost every btcstream process a
 * few milliseconds of loading and start-up, though only `--bus` uses it.
 *
 * Call sites write NATS(fn)(args) for libnats' fn; bus_nats_load() must have succeeded first
 * (bus_conn_open() sees to it). The names stay ours: nothing here exports a libnats symbol.
 */
#ifndef BTCSTREAM_BUS_NATS_H
#define BTCSTREAM_BUS_NATS_H

#include <nats/nats.h>

#include "btcstream/status.h"

#define BUS_NATS_FUNCTIONS(X)                                                                      \
    X(natsOptions_Create) X(natsOptions_Destroy) X(natsOptions_SetServers)                        \
    X(natsOptions_SetMaxReconnect) X(natsOptions_SetReconnectWait)                                 \
    X(natsOptions_SetRetryOnFailedConnect) X(natsOptions_SetName) X(natsConnection_Connect)        \
    X(natsConnection_Close) X(natsConnection_Destroy) X(natsConnection_JetStream)                  \
    X(nats_GetLastError) X(natsStatus_GetText) X(jsOptions_Init) X(jsCtx_Destroy)                  \
    X(jsStreamConfig_Init) X(js_AddStream) X(js_UpdateStream) X(js_GetStreamInfo)                  \
    X(jsStreamInfo_Destroy) X(js_Consumers) X(jsConsumerInfoList_Destroy) X(natsMsg_Create)        \
    X(natsMsg_Destroy) X(natsMsgHeader_Set) X(jsPubOptions_Init) X(js_PublishMsgAsync)             \
    X(js_PublishAsyncComplete) X(jsSubOptions_Init) X(js_PullSubscribe)                            \
    X(natsSubscription_Fetch) X(natsSubscription_Destroy) X(natsMsg_GetData)                       \
    X(natsMsg_GetDataLength) X(natsMsg_GetMetaData) X(jsMsgMetaData_Destroy) X(natsMsg_Ack)        \
    X(natsMsg_Term) X(natsMsgList_Destroy) X(js_GetConsumerInfo) X(jsConsumerInfo_Destroy)        \
    X(natsSubscription_GetPending) X(natsMsg_GetSubject)                \
    X(jsFetchRequest_Init) X(natsSubscription_FetchRequest)

#define BUS_NATS_FIELD(fn) __typeof__(fn) *fn;
typedef struct {
    BUS_NATS_FUNCTIONS(BUS_NATS_FIELD)
} bus_nats_api;
#undef BUS_NATS_FIELD

extern bus_nats_api bus_nats;

/* Loads libnats once; BS_ERR_UNSUPPORTED, saying which package to install, when it is absent. */
bs_status bus_nats_load(bs_error *err);

#define NATS(fn) (bus_nats.fn)

#endif
