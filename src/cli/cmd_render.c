/* cmd_render.c - `huizong render`: a PDF from a saved context.json. */
#include <getopt.h>
#include <stdbool.h>
#include <json-c/json.h>
#include <stdio.h>
#include "cli.h"
#include "config.h"
#include "fsutil.h"
#include <stdlib.h>
#include "report_outputs.h"
#include "report_template.h"

enum { OPT_CONFIG = 256, OPT_CONTEXT, OPT_LANG, OPT_MARKDOWN, OPT_TEMPLATE };

/* --markdown: the template after expansion, before layout. */
static int print_markdown(hz_cli *cli, const char *template_path, json_object *context)
{
    char *text = NULL, *markdown = NULL;
    size_t len = 0;
    hz_error err = {0};
    hz_status s = fs_read_file(template_path, &text, &len, &err);
    if (s == HZ_OK)
        s = report_template_expand(text, fs_base_name(template_path), context, &markdown, &err);
    if (s == HZ_OK)
        fputs(markdown, cli->out);
    else
        cli_report_error(cli, &err);
    free(text);
    free(markdown);
    return s == HZ_OK ? HZ_EXIT_OK : s == HZ_ERR_TEMPLATE ? HZ_EXIT_USAGE : cli_exit_code(s);
}

int cmd_render(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, OPT_CONFIG},
        {"context", required_argument, NULL, OPT_CONTEXT},
        {"help", no_argument, NULL, 'h'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"markdown", no_argument, NULL, OPT_MARKDOWN},
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {NULL, 0, NULL, 0},
    };
    const char *config_dir = NULL, *context_path = NULL, *template_path = NULL, *output = NULL;
    bool markdown = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_CONTEXT: context_path = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case OPT_MARKDOWN: markdown = true; break;
        case OPT_TEMPLATE: template_path = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return cli_help(cli, HZ_M_CLI_USAGE_RENDER);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind], NULL);
    if (!template_path)
        return cli_usage_error(cli, HZ_M_CLI_NEED_OPTION, "--template", NULL);
    if (!context_path)
        return cli_usage_error(cli, HZ_M_CLI_NEED_OPTION, "--context", NULL);
    if (!output && !markdown)
        return cli_usage_error(cli, HZ_M_CLI_NEED_OPTION, "-o", NULL);
    if (!fs_exists(context_path)) {
        cli_error(cli, HZ_M_IO_OPEN, context_path, "No such file or directory", NULL);
        return HZ_EXIT_IO;
    }
    json_object *context = json_object_from_file(context_path);
    if (!context || !json_object_is_type(context, json_type_object) ||
        !json_object_object_get_ex(context, "city", NULL)) {
        json_object_put(context);
        cli_error(cli, HZ_M_CLI_BAD_CONTEXT, context_path, NULL);
        return HZ_EXIT_IO;
    }
    if (markdown) {
        int rc = print_markdown(cli, template_path, context);
        json_object_put(context);
        return rc;
    }
    hz_config *config = NULL;
    int rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK) {
        json_object_put(context);
        return rc;
    }
    hz_error err = {0};
    hz_status s = report_outputs_render_pdf(config, template_path, context, output, &err);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        rc = cli_exit_code(s);
    } else {
        cli_say(cli, HZ_M_CLI_WROTE, output, NULL);
    }
    json_object_put(context);
    config_free(config);
    return rc;
}
