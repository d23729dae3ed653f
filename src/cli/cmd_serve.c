/* cmd_serve.c - `huizong serve`: the submission portal (portal_server.h). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "config.h"
#include "fsutil.h"
#include "portal_server.h"
#include "portal_store.h"
#include "portal_validator.h"
#include "report_outputs.h"

enum {
    OPT_ROUND = 256, OPT_DATA, OPT_LISTEN, OPT_CERT, OPT_KEY, OPT_INSECURE, OPT_THREADS,
    OPT_RATE, OPT_WEB, OPT_CONFIG, OPT_AS_OF, OPT_LANG
};

#define GRACE_SECONDS 60

static int parse_count(hz_cli *cli, const char *option, const char *text, unsigned max,
                       unsigned *out)
{
    char *end = NULL;
    unsigned long v = strtoul(text, &end, 10);
    if (!*text || !end || *end || v > max) {
        char why[64];
        snprintf(why, sizeof why, "0..%u", max);
        return cli_usage_error(cli, HZ_M_CLI_BAD_VALUE, option, text, why, NULL);
    }
    *out = (unsigned)v;
    return HZ_EXIT_OK;
}

static int read_pem(hz_cli *cli, const char *path, char **out)
{
    size_t len = 0;
    hz_error err = {0};
    hz_status s = fs_read_file(path, out, &len, &err);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    return HZ_EXIT_OK;
}

int cmd_serve(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"cert", required_argument, NULL, OPT_CERT},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"data", required_argument, NULL, OPT_DATA},
        {"help", no_argument, NULL, 'h'},
        {"insecure-lan", no_argument, NULL, OPT_INSECURE},
        {"key", required_argument, NULL, OPT_KEY},
        {"lang", required_argument, NULL, OPT_LANG},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"rate-limit", required_argument, NULL, OPT_RATE},
        {"round", required_argument, NULL, OPT_ROUND},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"web", required_argument, NULL, OPT_WEB},
        {NULL, 0, NULL, 0},
    };
    const char *round_word = NULL, *data_dir = NULL, *listen = "127.0.0.1:8080";
    const char *cert = NULL, *key = NULL, *web = NULL, *config_dir = NULL, *as_of_text = NULL;
    bool insecure = false;
    unsigned threads = 4, rate = 120;
    int c, rc;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROUND: round_word = optarg; break;
        case OPT_DATA: data_dir = optarg; break;
        case OPT_LISTEN: listen = optarg; break;
        case OPT_CERT: cert = optarg; break;
        case OPT_KEY: key = optarg; break;
        case OPT_INSECURE: insecure = true; break;
        case OPT_THREADS:
            if ((rc = parse_count(cli, "--threads", optarg, 64, &threads)) != HZ_EXIT_OK)
                return rc;
            if (threads == 0)
                return cli_usage_error(cli, HZ_M_CLI_BAD_VALUE, "--threads", optarg, "1..64", NULL);
            break;
        case OPT_RATE:
            if ((rc = parse_count(cli, "--rate-limit", optarg, 1000000, &rate)) != HZ_EXIT_OK)
                return rc;
            break;
        case OPT_WEB: web = optarg; break;
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_AS_OF: as_of_text = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'h': return cli_help(cli, HZ_M_PORTAL_SERVE_USAGE);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind], NULL);
    if (!round_word)
        return cli_usage_error(cli, HZ_M_CLI_NEED_OPTION, "--round", NULL);
    if (!data_dir)
        return cli_usage_error(cli, HZ_M_CLI_NEED_OPTION, "--data", NULL);
    if (!cert != !key)
        return cli_usage_error(cli, HZ_M_PORTAL_CERT_PAIR, NULL);
    char host[256];
    unsigned port = 0;
    if (!portal_parse_listen(listen, host, sizeof host, &port))
        return cli_usage_error(cli, HZ_M_PORTAL_BAD_LISTEN, listen, NULL);
    if (!portal_host_is_loopback(host) && !cert) {
        if (!insecure)
            return cli_usage_error(cli, HZ_M_PORTAL_NEED_TLS, listen, NULL);
        cli_error(cli, HZ_M_PORTAL_INSECURE_WARNING, listen, NULL);
    }

    hz_config *config = NULL;
    rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK)
        return rc;
    const hz_round *round = config_find_round_by_word(config, round_word);
    if (!round) {
        config_free(config);
        return cli_usage_error(cli, HZ_M_CLI_UNKNOWN_ROUND, round_word, NULL);
    }
    /* The browser check of the county page: the page template from --web
     * (and only there), else HUIZONG_WEB, else beside the installed data
     * or in the source tree's build/web/ (portal_validator_find). The page
     * is made with this server's configuration, so the browser enforces
     * what the server does. */
    char page_template[4200];
    const char *web_env = getenv("HUIZONG_WEB");
    bool have_page = portal_validator_find(web ? web : web_env, cli->paths.data_dir,
                                           page_template, sizeof page_template);
    if (web && !have_page) {
        config_free(config);
        return cli_usage_error(cli, HZ_M_PORTAL_WEB_MISSING, web, NULL);
    }
    portal_options opt = {
        .data_dir = data_dir, .listen_host = host, .port = port, .threads = threads,
        .rate_per_minute = rate, .template_dir = cli->paths.template_dir,
        .validator_template = have_page ? page_template : NULL,
    };
    hz_error err = {0};
    if (report_outputs_as_of(as_of_text, cli->source_date_epoch, round, cli->lang, &opt.as_of,
                             &err) != HZ_OK) {
        config_free(config);
        return cli_usage_error(cli, err.msg, err.nargs > 0 ? err.args[0] : NULL,
                               err.nargs > 1 ? err.args[1] : NULL,
                               err.nargs > 2 ? err.args[2] : NULL, NULL);
    }
    /* test switch: every receipt at this local time (the late/on-time cases
     * need a clock on either side of the deadline) */
    const char *now = getenv("HUIZONG_NOW");
    if (now && *now) {
        if (!portal_parse_local_time(now, config->utc_offset_minutes, &opt.fixed_now)) {
            config_free(config);
            return cli_usage_error(cli, HZ_M_PORTAL_BAD_NOW, now, NULL);
        }
        opt.fixed_clock = true;
    }
    char *cert_pem = NULL, *key_pem = NULL;
    if (cert && ((rc = read_pem(cli, cert, &cert_pem)) != HZ_EXIT_OK ||
                 (rc = read_pem(cli, key, &key_pem)) != HZ_EXIT_OK)) {
        free(cert_pem);
        config_free(config);
        return rc;
    }
    opt.cert_pem = cert_pem;
    opt.key_pem = key_pem;

    /* every thread the server starts inherits this mask: the signals are
     * taken here, by sigwait, and nowhere else */
    sigset_t stop, saved;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, &saved);
    signal(SIGPIPE, SIG_IGN);

    portal_server *server = NULL;
    hz_status s = portal_server_start(config, round, &opt, &server, &err);
    if (s != HZ_OK) {
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
        cli_report_error(cli, &err);
        free(cert_pem);
        free(key_pem);
        config_free(config);
        return cli_exit_code(s);
    }
    char where[400];
    bool v6 = strchr(host, ':') != NULL;
    snprintf(where, sizeof where, "%s://%s%s%s:%u/", cert ? "https" : "http", v6 ? "[" : "",
             host, v6 ? "]" : "", portal_server_port(server));
    if (have_page)
        cli_say(cli, HZ_M_PORTAL_VALIDATOR_FROM, page_template, NULL);
    else
        cli_say(cli, HZ_M_PORTAL_VALIDATOR_NONE, NULL);
    cli_say(cli, HZ_M_PORTAL_LISTENING, where, round->id, data_dir, NULL);
    fflush(cli->out);

    int sig = 0;
    sigwait(&stop, &sig);
    cli_say(cli, HZ_M_PORTAL_STOPPING, NULL);
    fflush(cli->out);
    portal_server_stop(server, GRACE_SECONDS);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    free(cert_pem);
    free(key_pem);
    config_free(config);
    return HZ_EXIT_OK;
}
