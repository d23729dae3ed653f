/* web_snapshot_none.c - no configuration built in: the page's module.
 *
 * huizong-check.html is built once for every configuration: its worker is
 * linked with this empty snapshot and checks with the snapshot the page
 * carries (hz_web_check's config argument), which `huizong template --all`
 * and `huizong serve` write into the page. A page whose snapshot was never
 * filled in fails to load its configuration instead of checking with some
 * other campaign's. */
#include "web_snapshot.h"

const char hz_web_snapshot[] = "";
const size_t hz_web_snapshot_size = 0;
