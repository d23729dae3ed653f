/* cmd_check.c - `huizong check`: every problem of every file, by cell. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"
#include "check.h"
#include "cli.h"
#include "config.h"
#include "fsutil.h"
#include "hz_jobs.h"
#include "workbook_contract.h"

enum { OPT_ROUND = 256, OPT_FORMAT, OPT_CONFIG, OPT_LANG };

static hz_msg_id severity_word(hz_severity severity)
{
    switch (severity) {
    case HZ_SEV_ERROR: return HZ_M_CLI_SEV_ERROR;
    case HZ_SEV_WARNING: return HZ_M_CLI_SEV_WARNING;
    default: return HZ_M_CLI_SEV_NOTICE;
    }
}

static void print_text(hz_cli *cli, const hz_check_result *r)
{
    cli_say(cli, HZ_M_CLI_CHECK_FILE, r->sub.path, NULL);
    for (size_t i = 0; i < r->issues.count; i++) {
        const hz_issue *issue = &r->issues.items[i];
        char message[2048];
        issue_render(issue, cli->lang, message, sizeof message);
        cli_say(cli, issue->explained ? HZ_M_CLI_CHECK_EXPLAINED_LINE : HZ_M_CLI_CHECK_LINE,
                hz_msg_text(cli->lang, severity_word(issue->severity)), message, issue->rule,
                NULL);
    }
    char a[32], b[32], c[32], d[32];
    if (r->valid) {
        snprintf(a, sizeof a, "%zu", r->sub.case_count);
        snprintf(b, sizeof b, "%zu", r->counts.warnings + r->counts.explained);
        snprintf(c, sizeof c, "%zu", r->counts.explained);
        snprintf(d, sizeof d, "%zu", r->counts.notices);
        cli_say(cli, HZ_M_CLI_CHECK_VALID, a, b, c, d, NULL);
    } else {
        snprintf(a, sizeof a, "%zu", r->counts.errors);
        snprintf(b, sizeof b, "%zu", r->counts.warnings);
        snprintf(c, sizeof c, "%zu", r->counts.explained);
        snprintf(d, sizeof d, "%zu", r->counts.notices);
        cli_say(cli, HZ_M_CLI_CHECK_INVALID, a, b, c, d, NULL);
    }
}

/* The files to check, in order: each FILE argument, and for a FOLDER
 * every workbook in it as consolidate lists them. */
typedef struct check_list {
    char **paths;   /* owned */
    size_t count, cap;
    bool folder;    /* a folder was given: always the summary line */
    bool missing;   /* a path that does not exist was given */
} check_list;

static bool list_add(check_list *l, const char *dir, const char *name)
{
    if (!hz_array_reserve(&l->paths, &l->cap, l->count + 1, sizeof *l->paths))
        return false;
    size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *path = malloc(len);
    if (!path)
        return false;
    if (dir)
        snprintf(path, len, "%s/%s", dir, name);
    else
        snprintf(path, len, "%s", name);
    l->paths[l->count++] = path;
    return true;
}

static void list_free(check_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
}

/* Fills l from the arguments; HZ_EXIT_OK or the exit code to stop with. */
static int gather_files(hz_cli *cli, int argc, char **argv, check_list *l)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!fs_exists(arg)) {
            cli_error(cli, HZ_M_IO_NO_SUCH_PATH, arg, NULL);
            l->missing = true;
            continue;
        }
        if (!fs_is_dir(arg)) {
            if (!list_add(l, NULL, arg))
                return HZ_EXIT_IO;
            continue;
        }
        l->folder = true;
        fs_listing listing;
        hz_error err = {0};
        if (fs_list_dir(arg, &listing, &err) != HZ_OK) {
            cli_report_error(cli, &err);
            return HZ_EXIT_IO;
        }
        bool ok = true;
        for (size_t k = 0; k < listing.count && ok; k++) {
            const fs_entry *e = &listing.items[k];
            if (workbook_contract_classify_name(e->name, e->kind == FS_DIR, e->kind == FS_FILE) ==
                HZ_M_NONE)
                ok = list_add(l, arg, e->name);
        }
        fs_listing_free(&listing);
        if (!ok)
            return HZ_EXIT_IO;
    }
    return HZ_EXIT_OK;
}

/* The files of one `check`, checked by hz_jobs_run into results[i]. */
typedef struct check_batch {
    const hz_config *config;
    const hz_check_options *opt;
    char **paths;
    hz_check_result *results;
    size_t count;
    cli_progress *progress;
} check_batch;

static hz_status check_one(void *user, size_t index, hz_error *err)
{
    check_batch *b = user;
    return check_file(b->config, b->paths[index], b->opt, &b->results[index], err);
}

static void checked_one(void *user, size_t index, size_t finished)
{
    check_batch *b = user;
    if (b->count > 1)
        cli_progress_files(b->progress, finished, b->count, fs_base_name(b->paths[index]));
}

int cmd_check(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, OPT_CONFIG},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"quiet", no_argument, NULL, 'q'},
        {"round", required_argument, NULL, OPT_ROUND},
        {NULL, 0, NULL, 0},
    };
    const char *round_word = NULL, *format = "text", *config_dir = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'q': cli->quiet = true; break;
        case OPT_ROUND: round_word = optarg; break;
        case 'h': return cli_help(cli, HZ_M_CLI_USAGE_CHECK);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_usage_error(cli, HZ_M_CLI_BAD_FORMAT, NULL);
    if (optind >= argc)
        return cli_usage_error(cli, HZ_M_CLI_NEED_FILES, NULL);

    hz_config *config = NULL;
    int rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK)
        return rc;
    const hz_round *round = NULL;
    if (round_word && !(round = config_find_round_by_word(config, round_word))) {
        config_free(config);
        return cli_usage_error(cli, HZ_M_CLI_UNKNOWN_ROUND, round_word, NULL);
    }

    check_list files = {0};
    rc = gather_files(cli, argc - optind, argv + optind, &files);
    if (rc != HZ_EXIT_OK || files.count == 0) {
        if (rc == HZ_EXIT_OK && files.folder && !files.missing)
            cli_error(cli, HZ_M_CLI_CHECK_EMPTY_FOLDER, NULL);
        list_free(&files);
        config_free(config);
        /* a folder with no return in it is input that cannot be read, as a
         * missing path is (DESIGN §5: exit 3), not a return with errors */
        return rc != HZ_EXIT_OK ? rc : HZ_EXIT_IO;
    }
    size_t count = files.count;
    hz_check_result *results = calloc(count, sizeof *results);
    if (!results) {
        cli_error(cli, HZ_M_NOMEM, NULL);
        list_free(&files);
        config_free(config);
        return HZ_EXIT_IO;
    }
    hz_check_options opt = {.round = round};
    cli_progress progress;
    cli_progress_start(&progress, cli);
    size_t valid = 0;
    bool unreadable = false;
    rc = HZ_EXIT_OK;
    /* the files are checked on two workers and reported in their order */
    check_batch batch = {.config = config, .opt = &opt, .paths = files.paths,
                         .results = results, .count = count, .progress = &progress};
    hz_error err = {0};
    if (hz_jobs_run(count, 2, check_one, checked_one, &batch, &err) != HZ_OK) {
        cli_report_error(cli, &err);
        rc = HZ_EXIT_IO;
    }
    for (size_t i = 0; i < count; i++) {
        valid += results[i].valid;
        /* a file that is there but is not a workbook is a finding (1);
         * one that cannot be opened at all is an input failure (3) */
        for (size_t k = 0; k < results[i].issues.count; k++)
            if (!strcmp(results[i].issues.items[k].rule, "file.unreadable"))
                unreadable = true;
    }
    cli_progress_end(&progress);
    if (rc == HZ_EXIT_OK) {
        if (!strcmp(format, "json")) {
            json_object *report = check_report_json(results, count, cli->lang);
            if (!report) {
                cli_error(cli, HZ_M_NOMEM, NULL);
                rc = HZ_EXIT_IO;
            } else {
                char *safe = hz_json_escape_unsafe(json_object_to_json_string_ext(
                    report, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                JSON_C_TO_STRING_NOSLASHESCAPE));
                if (safe)
                    fprintf(cli->out, "%s\n", safe);
                else
                    rc = HZ_EXIT_IO;
                free(safe);
                json_object_put(report);
            }
        } else {
            for (size_t i = 0; i < count; i++)
                print_text(cli, &results[i]);
            if (count > 1 || files.folder) {
                char n[32], v[32], x[32];
                snprintf(n, sizeof n, "%zu", count);
                snprintf(v, sizeof v, "%zu", valid);
                snprintf(x, sizeof x, "%zu", count - valid);
                cli_say(cli, HZ_M_CLI_CHECK_TOTAL, n, v, x, NULL);
            }
        }
    }
    if (rc == HZ_EXIT_OK)
        rc = unreadable || files.missing ? HZ_EXIT_IO
             : valid == count            ? HZ_EXIT_OK
                                         : HZ_EXIT_INVALID;
    for (size_t i = 0; i < count; i++)
        check_result_free(&results[i]);
    free(results);
    list_free(&files);
    config_free(config);
    return rc;
}
