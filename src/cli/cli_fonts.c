/* cli_fonts.c - the report-font notices a rendering command prints.
 *
 * Apart from cli.c because the browser build (scripts/web.sh) compiles
 * cli.c with the check core only, which has no PDF writer. */
#include "cli.h"
#include "report_outputs.h"

void cli_font_notices(hz_cli *cli, const struct hz_config *config)
{
    hz_error notices[PDF_FONT_ROLES];
    size_t n = report_outputs_font_notices(config, notices);
    for (size_t i = 0; i < n; i++)
        cli_report_error(cli, &notices[i]);
}
