/*
 * deflate_chunks.h - one raw deflate stream made of independently
 * compressed chunks, on several threads (pigz style; issue 19).
 *
 * The input is cut into chunks of chunk_size bytes. Each chunk is
 * compressed by a fresh raw deflate stream (no dictionary shared between
 * chunks) ending with Z_SYNC_FLUSH: a non-final, byte-aligned block, so the
 * compressed chunks concatenate into one valid deflate stream. The last
 * chunk ends with Z_FINISH (the final block). Any inflater reads the result
 * as one stream; the zip entry that holds it is a standard deflated entry.
 * The CRC-32 of the whole input is combined from the chunks' CRCs
 * (crc32_combine).
 *
 * Memory stays bounded: at most in_flight chunks (input and output buffers)
 * exist at a time; deflate_chunks_write blocks while they are all being
 * compressed or waiting to be written. The compressed bytes reach the sink
 * in input order, from the calling thread only, so the sink needs no
 * locking. The output depends only on the input, chunk_size and level,
 * never on the number of threads or their timing: the same input gives the
 * same bytes (reproducible files).
 */
#ifndef HZ_DEFLATE_CHUNKS_H
#define HZ_DEFLATE_CHUNKS_H

#include <stddef.h>
#include <stdint.h>
#include "hz_status.h"

/* Receives compressed bytes in order. A status other than HZ_OK stops the
 * stream; deflate_chunks_write / _finish return it. */
typedef hz_status (*deflate_chunks_sink)(void *ctx, const void *data, size_t len, hz_error *err);

typedef struct deflate_chunks_options {
    size_t chunk_size;   /* input bytes per chunk; 0: 1 MiB */
    int level;           /* zlib level 1..9; 0 or out of range: 6 */
    unsigned threads;    /* compressing threads; 0 or 1: in the caller's thread */
    unsigned in_flight;  /* chunks alive at once; 0: 2 × threads + 1 */
} deflate_chunks_options;

typedef struct deflate_chunks_result {
    uint32_t crc32;      /* CRC-32 of all input */
    uint64_t in_bytes;   /* uncompressed size */
    uint64_t out_bytes;  /* compressed size (what the sink received) */
} deflate_chunks_result;

typedef struct deflate_chunks deflate_chunks;

/* Starts a stream; the worker threads start here. opt may be NULL (the
 * defaults). HZ_ERR_NOMEM when the buffers cannot be allocated. */
hz_status deflate_chunks_open(deflate_chunks **out, const deflate_chunks_options *opt,
                              deflate_chunks_sink sink, void *ctx, hz_error *err);

/* Appends len bytes of input. Returns the first error of the stream (the
 * sink's or zlib's); after an error every later call returns it again. */
hz_status deflate_chunks_write(deflate_chunks *dc, const void *data, size_t len, hz_error *err);

/* Compresses the rest, waits for every chunk and hands the last bytes to the
 * sink; fills res (may be NULL). The stream can only be freed afterwards. */
hz_status deflate_chunks_finish(deflate_chunks *dc, deflate_chunks_result *res, hz_error *err);

/* Stops the threads and frees everything (also after an error, or without
 * finish: the unfinished output is dropped). NULL is allowed. */
void deflate_chunks_free(deflate_chunks *dc);

#endif
