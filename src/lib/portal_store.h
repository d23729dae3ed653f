/*
 * portal_store.h - where the submission portal keeps what it receives
 * (DESIGN §11): an ordinary round folder that `huizong consolidate` reads.
 *
 *   DIR/<round>/<unit>-<round>-v<N>.xlsx   accepted uploads, N = 1, 2, ...
 *                                          per unit (the server's count, not
 *                                          the workbook's 版本号)
 *   DIR/<round>/receipts.ini               [receipts] unit = receipt time
 *                                          (what consolidate reads) and
 *                                          [uploads] one line per saved file
 *   DIR/<round>/rejected/<unit>-<round>-r<N>.xlsx  invalid uploads, kept for
 *                                          the city (consolidate ignores the
 *                                          subfolder)
 *   DIR/tmp/                               uploads being received; emptied
 *                                          when the store opens, so a killed
 *                                          server leaves nothing half-written
 *                                          in the round folder
 *   DIR/audit.log                          one line per request
 *
 * Names come only from the unit code of the token, the round id and a
 * counter: no request text reaches a path. Saving is a rename from DIR/tmp
 * (same file system) under the unit's lock, followed by an atomic rewrite of
 * receipts.ini under the store's lock, so versions never collide and a kill
 * at any moment leaves receipts.ini either before or after one upload.
 *
 * Receipt times are the server clock in the campaign's time zone
 * (campaign.ini utc_offset_minutes). [receipts] holds, per unit, the receipt
 * of the upload with the highest 版本号 (on a tie, the latest), which is the
 * file consolidate accepts. Entries of [receipts] written by hand for units
 * that never uploaded are kept.
 */
#ifndef HZ_PORTAL_STORE_H
#define HZ_PORTAL_STORE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "config.h"
#include "hz_date.h"
#include "hz_status.h"

/* One saved upload, as [uploads] records it. */
typedef struct portal_upload {
    char name[128];             /* 411002-stage-v3.xlsx */
    char unit[32];
    int server_version;         /* N of the name */
    int workbook_version;       /* 版本号 */
    char received[32];          /* "2022-08-20 10:00:03" local */
    char sha256[65];
} portal_upload;

typedef struct portal_store {
    const hz_config *config;
    const hz_round *round;
    int utc_offset_minutes;
    char *data_dir, *round_dir, *rejected_dir, *tmp_dir, *out_dir;
    char *receipts_path, *audit_path;
    pthread_mutex_t *unit_locks;   /* one per config unit */
    pthread_mutex_t receipts_lock; /* receipts.ini and the fields below */
    pthread_mutex_t audit_lock;
    char (*hand_codes)[32];        /* [receipts] entries not from uploads */
    char (*hand_values)[32];
    size_t hand_count, hand_codes_cap, hand_values_cap;
    portal_upload *uploads;
    size_t upload_count, upload_cap;
    unsigned long generation;      /* bumped by every save */
    bool locks_ready;
} portal_store;

/* Creates the folders, empties DIR/tmp and reads an existing receipts.ini
 * (HZ_ERR_FORMAT when it is malformed: the city fixes it first). */
hz_status portal_store_open(portal_store *store, const hz_config *config, const hz_round *round,
                            const char *data_dir, hz_error *err);
void portal_store_close(portal_store *store);

/* A new empty temporary file in DIR/tmp (mode 0600); path into buf. */
hz_status portal_store_temp(portal_store *store, char *buf, size_t size, hz_error *err);

/* What a save did. */
typedef struct portal_saved {
    char name[128];             /* base name in the round folder (or
                                   "rejected/..." for a rejected one) */
    int server_version;
    char received[32];          /* local time "YYYY-MM-DD HH:MM:SS" */
    hz_date received_date;
    int days_late;              /* > 0 when after the effective deadline */
} portal_saved;

/* Moves the checked upload tmp_path of config unit index unit into the
 * round folder as the unit's next version and records it in receipts.ini;
 * now is the receipt time. HZ_ERR_INVALID (HZ_M_PORTAL_VERSION_TAKEN, the
 * temporary file left in place) when a saved file of the unit already has
 * this 版本号: consolidate would reject both. On other failures the
 * temporary file is removed. */
hz_status portal_store_accept(portal_store *store, size_t unit, const char *tmp_path, time_t now,
                              int workbook_version, const char *sha256, portal_saved *out,
                              hz_error *err);
/* Keeps an invalid upload under rejected/ as the unit's next r<N>. */
hz_status portal_store_reject(portal_store *store, size_t unit, const char *tmp_path, time_t now,
                              portal_saved *out, hz_error *err);

/* Appends "TIME WHO METHOD ROUTE STATUS SHA256" to audit.log in one write;
 * who and route are printed with bytes outside printable ASCII and spaces
 * as %XX, so no request text can forge a line. */
void portal_store_audit(portal_store *store, time_t now, const char *who, const char *method,
                        const char *route, int status, const char *sha256);

/* Local time of the campaign: "YYYY-MM-DD HH:MM:SS" (buf >= 20 bytes) and
 * its date. */
const char *portal_local_time(time_t t, int utc_offset_minutes, char *buf, size_t size,
                              hz_date *date);
/* "+08:00" for 480. */
const char *portal_offset_text(int utc_offset_minutes, char *buf, size_t size);
/* Parses "YYYY-MM-DD HH:MM[:SS]" as local time of the campaign. */
bool portal_parse_local_time(const char *text, int utc_offset_minutes, time_t *out);

/* The number of files saved for unit code (all versions); for status. */
size_t portal_store_upload_count(portal_store *store, const char *unit);

#endif
