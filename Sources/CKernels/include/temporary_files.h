// Temporary files removed on SIGINT, SIGTERM and SIGHUP.
//
// Outputs are written to a temporary file beside the target and renamed into place; a signal
// used to kill the process between the two and leave `.NAME.tmp-…` behind (45 MB after an
// interrupted `encode`). Writers register their temporary path here; the handler unlinks every
// registered path (unlink is async-signal-safe, and slots are taken with atomic exchanges, so no
// lock is held in the handler), restores the default action and raises the signal again, so the
// process still ends as killed by it. The handlers are installed only over the default action: a
// command that handles signals itself (train writes a checkpoint) keeps its own.
#ifndef TEMPORARY_FILES_H
#define TEMPORARY_FILES_H

#ifdef __cplusplus
extern "C" {
#endif

// Registers `path` for removal on a signal and installs the handlers on first use. Returns the
// slot to pass to mk_temporary_file_forget, or -1 when every slot is taken (the file is then
// only removed by its writer).
int mk_temporary_file_register(const char *path);

// Forgets a registered path (after it was renamed into place or removed).
void mk_temporary_file_forget(int slot);

#ifdef __cplusplus
}
#endif

#endif
