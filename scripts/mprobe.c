// Malloc counter for scripts/count-step-allocations, loaded with LD_PRELOAD: counts every
// malloc/calloc/realloc by call stack (the 10 return addresses above the allocator) and, when
// the process exits, writes one line per stack to $MPROBE_OUT: "count | frame | frame ...".
// A frame is "symbol@/path/of/object" where the dynamic symbol table names it, else
// "/path/of/object+offset" (mprobe-diff.py resolves those with addr2line). Allocations made while recording
// (backtrace's own) are not counted; stacks beyond the table's capacity are counted on one
// "overflow" line.
// Build: cc -O2 -shared -fPIC -o mprobe.so mprobe.c -ldl -lpthread
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

#define SLOTS 4096
#define DEPTH 10
static __thread int inside = 0;
static void *keys[SLOTS][DEPTH];
static long counts[SLOTS];
static long overflow = 0;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void record(void) {
  if (inside) return;
  inside = 1;
  void *bt[DEPTH + 4];
  int n = backtrace(bt, DEPTH + 4);
  void *k[DEPTH] = {0};  // skip record() and the allocator wrapper
  for (int i = 2; i < n && i < DEPTH + 2; i++) k[i - 2] = bt[i];
  unsigned long h = 0;
  for (int i = 0; i < DEPTH; i++) h = h * 31 + (unsigned long)k[i];
  pthread_mutex_lock(&mu);
  unsigned long j = 0;
  for (; j < SLOTS; j++) {
    unsigned long s = (h + j) % SLOTS;
    if (counts[s] == 0) { memcpy(keys[s], k, sizeof k); counts[s] = 1; break; }
    if (!memcmp(keys[s], k, sizeof k)) { counts[s]++; break; }
  }
  if (j == SLOTS) overflow++;
  pthread_mutex_unlock(&mu);
  inside = 0;
}

void *malloc(size_t n) { record(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { record(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { record(); return __libc_realloc(p, n); }

__attribute__((destructor)) static void dump(void) {
  inside = 1;
  const char *path = getenv("MPROBE_OUT") ? getenv("MPROBE_OUT") : "mprobe-out.txt";
  FILE *f = fopen(path, "w");
  if (!f) { perror(path); return; }
  for (int s = 0; s < SLOTS; s++) {
    if (!counts[s]) continue;
    fprintf(f, "%ld", counts[s]);
    for (int i = 0; i < DEPTH; i++) {
      Dl_info d;
      if (!keys[s][i] || !dladdr(keys[s][i], &d)) continue;
      const char *object = d.dli_fname ? d.dli_fname : "?";
      if (d.dli_sname) fprintf(f, " | %s@%s", d.dli_sname, object);
      else fprintf(f, " | %s+%lx", object, (unsigned long)((char *)keys[s][i] - (char *)d.dli_fbase));
    }
    fprintf(f, "\n");
  }
  if (overflow) fprintf(f, "%ld | overflow\n", overflow);
  fclose(f);
}
