/* cmd_synth.c - `huizong synth`: synthetic filled returns for demos, tests
 * and benchmarks (never real data). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "config.h"
#include "fillin.h"
#include "synth.h"

enum {
    OPT_UNIT = 256, OPT_ALL, OPT_ROUND, OPT_CONFIG, OPT_LANG, OPT_SEED, OPT_CASES,
    OPT_VERSION, OPT_FILL_DATE, OPT_SAMPLES, OPT_CONFIG_UNITS
};

/* Parses a decimal whole number in [lo, hi]. */
static bool parse_number(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!text || *text < '0' || *text > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int bad_number(hz_cli *cli, const char *option, const char *value, uint64_t lo,
                      uint64_t hi)
{
    char a[32], b[32], why[256];
    snprintf(a, sizeof a, "%" PRIu64, lo);
    snprintf(b, sizeof b, "%" PRIu64, hi);
    hz_msg_formatv(cli->lang, HZ_M_FILLIN_EXPECT_INTEGER, why, sizeof why, a, b, NULL);
    return cli_usage_error(cli, HZ_M_CLI_BAD_VALUE, option, value, why, NULL);
}

int cmd_synth(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"unit", required_argument, NULL, OPT_UNIT},
        {"all", no_argument, NULL, OPT_ALL},
        {"round", required_argument, NULL, OPT_ROUND},
        {"output", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"lang", required_argument, NULL, OPT_LANG},
        {"quiet", no_argument, NULL, 'q'},
        {"seed", required_argument, NULL, OPT_SEED},
        {"cases", required_argument, NULL, OPT_CASES},
        {"version", required_argument, NULL, OPT_VERSION},
        {"fill-date", required_argument, NULL, OPT_FILL_DATE},
        {"samples", required_argument, NULL, OPT_SAMPLES},
        {"config-units", required_argument, NULL, OPT_CONFIG_UNITS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *unit_code = NULL, *round_word = NULL, *output = NULL, *config_dir = NULL;
    const char *samples = NULL;
    bool all = false, have_seed = false;
    size_t config_units = 0;   /* --config-units: write a config folder */
    synth_options opt;
    synth_options_init(&opt);
    uint64_t n;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_UNIT: unit_code = optarg; break;
        case OPT_ALL: all = true; break;
        case OPT_ROUND: round_word = optarg; break;
        case 'o': output = optarg; break;
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'q': cli->quiet = true; break;
        case OPT_SAMPLES: samples = optarg; break;
        case OPT_CONFIG_UNITS:
            if (!parse_number(optarg, 1, SYNTH_MAX_UNITS, &n))
                return bad_number(cli, "--config-units", optarg, 1, SYNTH_MAX_UNITS);
            config_units = (size_t)n;
            break;
        case OPT_SEED:
            if (!parse_number(optarg, 0, UINT64_MAX, &n))
                return bad_number(cli, "--seed", optarg, 0, UINT64_MAX);
            opt.seed = n;
            have_seed = true;
            break;
        case OPT_CASES:
            if (!parse_number(optarg, 0, 1000000, &n))
                return bad_number(cli, "--cases", optarg, 0, 1000000);
            opt.case_count = (long)n;
            break;
        case OPT_VERSION:
            if (!parse_number(optarg, 1, 9999, &n))
                return bad_number(cli, "--version", optarg, 1, 9999);
            opt.version = (int)n;
            break;
        case OPT_FILL_DATE:
            if (!hz_date_parse(optarg, &opt.fill_date)) {
                char why[256];
                hz_msg_formatv(cli->lang, HZ_M_FILLIN_EXPECT_DATE, why, sizeof why, NULL);
                return cli_usage_error(cli, HZ_M_CLI_BAD_VALUE, "--fill-date", optarg, why,
                                       NULL);
            }
            break;
        case 'h': return cli_help(cli, HZ_M_FILLIN_USAGE_SYNTH);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind], NULL);
    if (config_units) {
        /* a configuration folder, not returns: no seed needed */
        const char *other = unit_code ? "--unit" : all ? "--all" : samples ? "--samples"
                          : round_word ? "--round" : NULL;
        if (other)
            return cli_usage_error(cli, HZ_M_FILLIN_CONFLICT, "--config-units", other, NULL);
        if (!output)
            return cli_usage_error(cli, HZ_M_FILLIN_NEED_OUTPUT, NULL);
    } else if (!have_seed) {
        return cli_usage_error(cli, HZ_M_FILLIN_NEED_SEED, NULL);
    } else if (samples) {
        const char *other = unit_code ? "--unit" : all ? "--all" : output ? "--output"
                          : round_word ? "--round" : NULL;
        if (other)
            return cli_usage_error(cli, HZ_M_FILLIN_CONFLICT, "--samples", other, NULL);
    } else {
        if (unit_code && all)
            return cli_usage_error(cli, HZ_M_FILLIN_CONFLICT, "--unit", "--all", NULL);
        if (!unit_code && !all)
            return cli_usage_error(cli, HZ_M_FILLIN_NEED_UNIT, NULL);
        if (!round_word)
            return cli_usage_error(cli, HZ_M_FILLIN_NEED_ROUND, NULL);
        if (!output)
            return cli_usage_error(cli, HZ_M_FILLIN_NEED_OUTPUT, NULL);
    }

    hz_config *config = NULL;
    int rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK)
        return rc;
    hz_error err = {0};
    if (config_units) {
        hz_status s = synth_write_config(config, config_units, output, &err);
        if (s != HZ_OK) {
            cli_report_error(cli, &err);
            rc = cli_exit_code(s);
        } else {
            cli_say(cli, HZ_M_CLI_WROTE, output, NULL);
        }
        config_free(config);
        return rc;
    }
    if (samples) {
        synth_samples_report rep;
        hz_status s = synth_write_samples(config, opt.seed, samples, &rep, &err);
        if (s != HZ_OK) {
            cli_report_error(cli, &err);
            rc = cli_exit_code(s);
        } else {
            char a[32], b[32];
            snprintf(a, sizeof a, "%zu", rep.stage_files);
            snprintf(b, sizeof b, "%zu", rep.annual_files);
            cli_say(cli, HZ_M_FILLIN_WROTE_SAMPLES, samples, a, b, NULL);
        }
        config_free(config);
        return rc;
    }
    const hz_round *round = config_find_round_by_word(config, round_word);
    const hz_unit *unit = unit_code ? config_find_unit(config, unit_code) : NULL;
    if (!round)
        rc = cli_usage_error(cli, HZ_M_FILLIN_UNKNOWN_ROUND, round_word, NULL);
    else if (unit_code && !unit)
        rc = cli_usage_error(cli, HZ_M_FILLIN_UNKNOWN_UNIT, unit_code, NULL);
    else if (mkdir(output, 0777) != 0 && errno != EEXIST) {
        cli_error(cli, HZ_M_IO_MKDIR, output, strerror(errno), NULL);
        rc = HZ_EXIT_IO;
    }
    size_t first = 0, last = 0;
    if (rc == HZ_EXIT_OK) {
        first = unit ? (size_t)(unit - config->units) : 0;
        last = unit ? first + 1 : config->unit_count;
    }
    for (size_t i = first; rc == HZ_EXIT_OK && i < last; i++) {
        char name[1024], path[4096];
        const hz_unit *u = &config->units[i];
        if (!fillin_file_name(u, round, name, sizeof name)) {
            cli_error(cli, HZ_M_FILLIN_NAME_TOO_LONG, u->name, NULL);
            rc = HZ_EXIT_IO;
            break;
        }
        snprintf(path, sizeof path, "%s/%s", output, name);
        hz_status s = synth_fill(config, u, round, &opt, path, &err);
        if (s != HZ_OK) {
            cli_report_error(cli, &err);
            rc = cli_exit_code(s);
        } else {
            cli_say(cli, HZ_M_CLI_WROTE, path, NULL);
        }
    }
    config_free(config);
    return rc;
}
