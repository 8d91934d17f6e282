#include "temporary_files.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// More than any command has open at once (props, encode and its failures list: two).
#define MK_TEMPORARY_SLOTS 64

static _Atomic(char *) slots[MK_TEMPORARY_SLOTS];
static atomic_int handlers_installed;
static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void remove_temporary_files_and_reraise(int signal_number) {
    for (int i = 0; i < MK_TEMPORARY_SLOTS; i++) {
        // Taking the pointer out means a writer finishing concurrently will not free it under us;
        // it is leaked, which does not matter in a process about to end.
        char *path = atomic_exchange(&slots[i], NULL);
        if (path) unlink(path);
    }
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static void install_handlers(void) {
    if (atomic_exchange(&handlers_installed, 1)) return;
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++) {
        struct sigaction current;
        if (sigaction(handled_signals[i], NULL, &current) != 0) continue;
        if (current.sa_handler != SIG_DFL || (current.sa_flags & SA_SIGINFO)) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = remove_temporary_files_and_reraise;
        sigemptyset(&action.sa_mask);
        sigaction(handled_signals[i], &action, NULL);
    }
}

int mk_temporary_file_register(const char *path) {
    install_handlers();
    char *copy = strdup(path);
    if (!copy) return -1;
    for (int i = 0; i < MK_TEMPORARY_SLOTS; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&slots[i], &expected, copy)) return i;
    }
    free(copy);
    return -1;
}

void mk_temporary_file_forget(int slot) {
    if (slot < 0 || slot >= MK_TEMPORARY_SLOTS) return;
    free(atomic_exchange(&slots[slot], NULL));
}
