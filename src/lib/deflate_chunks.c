/* deflate_chunks.c - chunked parallel raw deflate; see deflate_chunks.h. */
#include "deflate_chunks.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define DEFAULT_CHUNK (1u << 20)
#define MAX_THREADS 64

typedef enum slot_state { SLOT_FREE, SLOT_FILLING, SLOT_QUEUED, SLOT_WORKING, SLOT_DONE } slot_state;

typedef struct slot {
    unsigned char *in, *out;
    size_t in_len, out_len, out_cap;
    uint32_t crc;
    bool last;
    bool failed;               /* zlib refused: the stream fails */
    slot_state state;
} slot;

struct deflate_chunks {
    deflate_chunks_sink sink;
    void *ctx;
    size_t chunk_size;
    int level;
    unsigned nslots, nthreads;
    slot *slots;
    pthread_t *threads;
    z_stream own;              /* the caller's stream when there are no threads */
    bool own_init;
    pthread_mutex_t lock;
    pthread_cond_t work;       /* a chunk is queued, or stop */
    pthread_cond_t done;       /* a chunk is compressed */
    bool sync_init;
    uint64_t filling;          /* sequence number of the chunk being filled */
    uint64_t taken;            /* next sequence number a worker takes */
    uint64_t submitted;        /* chunks handed to the workers */
    uint64_t emitted;          /* chunks written to the sink */
    bool stop;
    bool finished;
    hz_status status;          /* first error, sticky */
    hz_error error;
    uint32_t crc;
    uint64_t in_bytes, out_bytes;
};

static hz_status fail(deflate_chunks *dc, hz_status s, const hz_error *e)
{
    if (dc->status == HZ_OK) {
        dc->status = s;
        if (e)
            dc->error = *e;
    }
    return dc->status;
}

static hz_status report(deflate_chunks *dc, hz_error *err)
{
    if (dc->status != HZ_OK && err)
        *err = dc->error;
    return dc->status;
}

/* Compresses one chunk with strm (initialised raw deflate of dc->level). */
static void compress_slot(z_stream *strm, slot *sl)
{
    sl->crc = (uint32_t)crc32(0L, sl->in, (uInt)sl->in_len);
    if (deflateReset(strm) != Z_OK) {
        sl->failed = true;
        return;
    }
    strm->next_in = sl->in;
    strm->avail_in = (uInt)sl->in_len;
    strm->next_out = sl->out;
    strm->avail_out = (uInt)sl->out_cap;
    int rc = deflate(strm, sl->last ? Z_FINISH : Z_SYNC_FLUSH);
    /* out_cap is deflateBound plus room for the flush marker, so one call
     * always completes the chunk; anything else is a zlib failure */
    if (sl->last ? rc != Z_STREAM_END : (rc != Z_OK || strm->avail_in != 0 || strm->avail_out == 0))
        sl->failed = true;
    sl->out_len = sl->out_cap - strm->avail_out;
}

static bool stream_init(z_stream *strm, int level)
{
    memset(strm, 0, sizeof *strm);
    /* -15: raw deflate (the zip entry has no zlib header); memLevel 8 as
     * zlib's default */
    return deflateInit2(strm, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

static void *worker_main(void *arg)
{
    deflate_chunks *dc = arg;
    z_stream strm;
    bool ok = stream_init(&strm, dc->level);
    pthread_mutex_lock(&dc->lock);
    for (;;) {
        while (!dc->stop && dc->taken >= dc->submitted)
            pthread_cond_wait(&dc->work, &dc->lock);
        if (dc->stop)
            break;
        slot *sl = &dc->slots[dc->taken % dc->nslots];
        dc->taken++;
        sl->state = SLOT_WORKING;
        pthread_mutex_unlock(&dc->lock);
        if (ok)
            compress_slot(&strm, sl);
        else
            sl->failed = true;
        pthread_mutex_lock(&dc->lock);
        sl->state = SLOT_DONE;
        pthread_cond_broadcast(&dc->done);
    }
    pthread_mutex_unlock(&dc->lock);
    if (ok)
        deflateEnd(&strm);
    return NULL;
}

/* Hands a compressed slot to the sink (caller's thread, lock not held). */
static hz_status emit_slot(deflate_chunks *dc, slot *sl)
{
    if (sl->failed) {
        hz_error e;
        hz_error_set(&e, HZ_ERR_INTERNAL, HZ_M_CONSOLIDATE_DEFLATE_FAILED, NULL);
        return fail(dc, HZ_ERR_INTERNAL, &e);
    }
    dc->crc = (uint32_t)crc32_combine(dc->crc, sl->crc, (z_off_t)sl->in_len);
    dc->in_bytes += sl->in_len;
    dc->out_bytes += sl->out_len;
    if (dc->status == HZ_OK && sl->out_len > 0) {
        hz_error e;
        hz_status s = dc->sink(dc->ctx, sl->out, sl->out_len, &e);
        if (s != HZ_OK)
            fail(dc, s, &e);
    }
    return dc->status;
}

/* Writes out, in order, the chunks already compressed; with wait, first
 * waits until the oldest one is (so its slot can be reused). */
static hz_status drain(deflate_chunks *dc, bool wait)
{
    for (;;) {
        if (dc->emitted >= dc->submitted)
            return dc->status;
        slot *sl = &dc->slots[dc->emitted % dc->nslots];
        pthread_mutex_lock(&dc->lock);
        while (wait && sl->state != SLOT_DONE)
            pthread_cond_wait(&dc->done, &dc->lock);
        bool ready = sl->state == SLOT_DONE;
        pthread_mutex_unlock(&dc->lock);
        if (!ready)
            return dc->status;
        emit_slot(dc, sl);
        sl->state = SLOT_FREE;
        dc->emitted++;
        wait = false;
    }
}

/* Submits the filling chunk (compressing it here when there are no
 * threads) and starts the next one in a free slot. */
static hz_status submit(deflate_chunks *dc, bool last)
{
    slot *sl = &dc->slots[dc->filling % dc->nslots];
    sl->last = last;
    sl->failed = false;
    if (dc->nthreads == 0) {
        compress_slot(&dc->own, sl);
        dc->submitted++;
        sl->state = SLOT_DONE;
    } else {
        pthread_mutex_lock(&dc->lock);
        sl->state = SLOT_QUEUED;
        dc->submitted++;
        pthread_cond_signal(&dc->work);
        pthread_mutex_unlock(&dc->lock);
    }
    dc->filling++;
    /* the next chunk's slot must be free: its previous user (nslots chunks
     * back) must have reached the sink. The counters are the caller's own,
     * so no lock is needed to decide. */
    if (!last) {
        drain(dc, false);
        while (dc->filling - dc->emitted >= dc->nslots)
            drain(dc, true);
        slot *next = &dc->slots[dc->filling % dc->nslots];
        next->in_len = 0;
    }
    return dc->status;
}

hz_status deflate_chunks_open(deflate_chunks **out, const deflate_chunks_options *opt,
                              deflate_chunks_sink sink, void *ctx, hz_error *err)
{
    *out = NULL;
    deflate_chunks_options o = opt ? *opt : (deflate_chunks_options){0};
    deflate_chunks *dc = calloc(1, sizeof *dc);
    if (!dc)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    dc->sink = sink;
    dc->ctx = ctx;
    dc->chunk_size = o.chunk_size ? o.chunk_size : DEFAULT_CHUNK;
    if (dc->chunk_size > (1u << 30))
        dc->chunk_size = 1u << 30; /* uInt lengths for zlib */
    dc->level = o.level >= 1 && o.level <= 9 ? o.level : 6;
    dc->nthreads = o.threads > 1 ? (o.threads > MAX_THREADS ? MAX_THREADS : o.threads) : 0;
    dc->nslots = o.in_flight ? o.in_flight : 2 * (dc->nthreads ? dc->nthreads : 1) + 1;
    if (dc->nslots < 2)
        dc->nslots = 2;
    dc->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    dc->slots = calloc(dc->nslots, sizeof *dc->slots);
    bool ok = dc->slots != NULL;
    z_stream probe;
    ok = ok && stream_init(&probe, dc->level);
    size_t bound = 0;
    if (ok) {
        /* + 16: the sync-flush marker (5 bytes) and the final empty block */
        bound = deflateBound(&probe, (uLong)dc->chunk_size) + 16;
        deflateEnd(&probe);
    }
    for (unsigned i = 0; ok && i < dc->nslots; i++) {
        dc->slots[i].in = malloc(dc->chunk_size);
        dc->slots[i].out = malloc(bound);
        dc->slots[i].out_cap = bound;
        ok = dc->slots[i].in && dc->slots[i].out;
    }
    if (ok && dc->nthreads == 0) {
        ok = stream_init(&dc->own, dc->level);
        dc->own_init = ok;
    }
    if (ok) {
        ok = pthread_mutex_init(&dc->lock, NULL) == 0;
        if (ok && pthread_cond_init(&dc->work, NULL) != 0) {
            pthread_mutex_destroy(&dc->lock);
            ok = false;
        }
        if (ok && pthread_cond_init(&dc->done, NULL) != 0) {
            pthread_cond_destroy(&dc->work);
            pthread_mutex_destroy(&dc->lock);
            ok = false;
        }
        dc->sync_init = ok;
    }
    if (ok && dc->nthreads > 0) {
        dc->threads = calloc(dc->nthreads, sizeof *dc->threads);
        ok = dc->threads != NULL;
        unsigned started = 0;
        while (ok && started < dc->nthreads &&
               pthread_create(&dc->threads[started], NULL, worker_main, dc) == 0)
            started++;
        if (ok && started == 0) {
            /* no thread at all: compress in the caller's thread */
            free(dc->threads);
            dc->threads = NULL;
            ok = stream_init(&dc->own, dc->level);
            dc->own_init = ok;
        }
        dc->nthreads = started;
    }
    if (!ok) {
        deflate_chunks_free(dc);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    dc->slots[0].state = SLOT_FILLING;
    *out = dc;
    return HZ_OK;
}

hz_status deflate_chunks_write(deflate_chunks *dc, const void *data, size_t len, hz_error *err)
{
    const unsigned char *p = data;
    while (len > 0 && dc->status == HZ_OK && !dc->finished) {
        slot *sl = &dc->slots[dc->filling % dc->nslots];
        size_t room = dc->chunk_size - sl->in_len;
        size_t n = len < room ? len : room;
        memcpy(sl->in + sl->in_len, p, n);
        sl->in_len += n;
        p += n;
        len -= n;
        if (sl->in_len == dc->chunk_size)
            submit(dc, false);
    }
    return report(dc, err);
}

hz_status deflate_chunks_finish(deflate_chunks *dc, deflate_chunks_result *res, hz_error *err)
{
    if (!dc->finished && dc->status == HZ_OK) {
        dc->finished = true;
        submit(dc, true);
        while (dc->emitted < dc->submitted)
            drain(dc, true);
    }
    if (res) {
        res->crc32 = dc->crc;
        res->in_bytes = dc->in_bytes;
        res->out_bytes = dc->out_bytes;
    }
    return report(dc, err);
}

void deflate_chunks_free(deflate_chunks *dc)
{
    if (!dc)
        return;
    if (dc->threads) {
        pthread_mutex_lock(&dc->lock);
        dc->stop = true;
        pthread_cond_broadcast(&dc->work);
        pthread_mutex_unlock(&dc->lock);
        for (unsigned i = 0; i < dc->nthreads; i++)
            pthread_join(dc->threads[i], NULL);
        free(dc->threads);
    }
    if (dc->own_init)
        deflateEnd(&dc->own);
    if (dc->sync_init) {
        pthread_cond_destroy(&dc->done);
        pthread_cond_destroy(&dc->work);
        pthread_mutex_destroy(&dc->lock);
    }
    if (dc->slots) {
        for (unsigned i = 0; i < dc->nslots; i++) {
            free(dc->slots[i].in);
            free(dc->slots[i].out);
        }
        free(dc->slots);
    }
    free(dc);
}
