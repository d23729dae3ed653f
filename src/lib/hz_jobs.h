/*
 * hz_jobs.h - a bounded parallel for: the one worker pool of the project,
 * used by `check` of many files and by the folder run of consolidate.
 *
 * The caller's thread is one of the workers, so a build without threads
 * (the browser validator: emscripten's pthread_create always fails) or a
 * machine that refuses a thread runs every job in the caller, in order.
 */
#ifndef HZ_JOBS_H
#define HZ_JOBS_H

#include <stddef.h>
#include "hz_status.h"

/* One job: index in [0, count). Called from any worker, never twice for one
 * index; jobs of different indexes run at the same time. */
typedef hz_status (*hz_job_fn)(void *user, size_t index, hz_error *err);
/* After each job, under the pool's one lock (so it may update shared state
 * and print progress): finished counts the jobs done so far. */
typedef void (*hz_job_done_fn)(void *user, size_t index, size_t finished);

#define HZ_JOBS_MAX_THREADS 16

/* Runs job for every index on up to threads workers (at least 1, at most
 * HZ_JOBS_MAX_THREADS, never more than count). The first job that fails
 * stops the handing out of further jobs (those running finish); its status
 * is returned and its error copied into err. done may be NULL. */
hz_status hz_jobs_run(size_t count, int threads, hz_job_fn job, hz_job_done_fn done, void *user,
                      hz_error *err);

#endif
