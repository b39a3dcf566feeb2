/*
 * cmd_pending.c - subcommands whose library parts have not landed yet. Each says so in one line
 * and names its issue, instead of pretending to work. A subcommand leaves this file when its own
 * src/cmd_<name>.c lands.
 */
#include <string.h>

#include "cli.h"

static int pending(const char *cmd, int issue) {
    cli_errorf(cmd, "not available in this build yet (tracked in issue #%d)", issue);
    return CLI_FAIL;
}

int cmd_upload(int argc, char **argv) { (void)argc; return pending(argv[0], 6); }
