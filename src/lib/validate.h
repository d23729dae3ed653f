/*
 * validate.h - checks on one read submission (DESIGN §5).
 *
 * validate_submission() adds to issues every header, cell (period, fill
 * date), row, table and rules.ini finding that one file can show. Reading
 * problems (structure, types, enumerations) were already added by
 * submission_read(). Warnings on a row whose 说明 is filled are marked
 * explained. When round is given and the workbook says another round, a
 * single "header.round_mismatch" error is added and nothing else is
 * checked: a file in the wrong folder gets one clear sentence. It also
 * resolves sub->unit and sub->round from the header.
 */
#ifndef HZ_VALIDATE_H
#define HZ_VALIDATE_H

#include "config.h"
#include "issue.h"
#include "submission.h"

hz_status validate_submission(const hz_config *config, hz_submission *sub,
                              const hz_round *round, hz_issue_list *issues, hz_error *err);

#endif
