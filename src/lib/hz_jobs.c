/* hz_jobs.c - the bounded parallel for of hz_jobs.h. */
#include "hz_jobs.h"

#include <pthread.h>

typedef struct job_pool {
    size_t count, next, finished;
    hz_job_fn job;
    hz_job_done_fn done;
    void *user;
    hz_status status; /* of the first job that failed */
    hz_error err;
    pthread_mutex_t lock;
} job_pool;

static void *worker_main(void *arg)
{
    job_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        if (p->next >= p->count || p->status != HZ_OK) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        size_t index = p->next++;
        pthread_mutex_unlock(&p->lock);

        hz_error err = {0};
        hz_status s = p->job(p->user, index, &err);

        pthread_mutex_lock(&p->lock);
        if (s != HZ_OK && p->status == HZ_OK) {
            p->status = s;
            p->err = err;
        }
        p->finished++;
        if (p->done)
            p->done(p->user, index, p->finished);
        pthread_mutex_unlock(&p->lock);
    }
}

hz_status hz_jobs_run(size_t count, int threads, hz_job_fn job, hz_job_done_fn done, void *user,
                      hz_error *err)
{
    if (count == 0)
        return HZ_OK;
    job_pool p = {.count = count, .job = job, .done = done, .user = user, .status = HZ_OK};
    if (pthread_mutex_init(&p.lock, NULL) != 0)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > HZ_JOBS_MAX_THREADS)
        threads = HZ_JOBS_MAX_THREADS;
    if ((size_t)threads > count)
        threads = (int)count;
    pthread_t tid[HZ_JOBS_MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, worker_main, &p) != 0)
            break; /* fewer workers is still correct */
        started++;
    }
    worker_main(&p);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&p.lock);
    if (p.status != HZ_OK && err)
        *err = p.err;
    return p.status;
}
