/* The child side of the sandbox protocol, version 20001 (docs/protocol.md).

   Compiled into every binary translated with --sandbox.  The stubs built by
   stubs.py call rpy_sandbox_arg_*() once per argument and then one
   rpy_sandbox_res_*(), which sends the request (section 2) and serves the
   controller's commands (section 3) until the result arrives.  The child
   trusts the controller completely and itself not at all: any surprise
   aborts at once (section 4).

   A constructor runs before RPython's own start-up: it answers the dump
   request (section 5) and installs the seccomp filter (section 6).

   The including translation defines RPY_SANDBOX_DUMP_TEXT (the sorted
   signatures) and RPY_SANDBOX_SECCOMP (1 or 0) before this file. */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if RPY_SANDBOX_SECCOMP
#  include <linux/audit.h>
#  include <linux/filter.h>
#  include <linux/seccomp.h>
#  include <sys/prctl.h>
#  include <sys/syscall.h>
#endif

#define SAND_FD_COMMANDS   0
#define SAND_FD_REQUESTS   1
#define SAND_REQUEST_MAX   4096

/* The request being built: length byte, signature, packed arguments.  The
   arguments are packed first, after room for the longest signature, and the
   signature is written just before them when the result is awaited. */
static char sand_request[SAND_REQUEST_MAX];
static size_t sand_args_end = 256;
static int sand_pending_errno = -1;

static void sand_die(const char *what)
{
    fprintf(stderr, "sandbox: %s\n", what);
    abort();
}

static void sand_write_all(const void *data, size_t count)
{
    const char *p = data;
    while (count > 0) {
        ssize_t done = write(SAND_FD_REQUESTS, p, count);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0 || (size_t)done > count)
            sand_die("cannot write a request to stdout");
        p += done;
        count -= (size_t)done;
    }
}

static void sand_read_all(void *data, size_t count)
{
    char *p = data;
    while (count > 0) {
        ssize_t done = read(SAND_FD_COMMANDS, p, count);
        if (done < 0 && errno == EINTR)
            continue;
        if (done == 0)
            sand_die("stdin closed while waiting for the controller");
        if (done < 0 || (size_t)done > count)
            sand_die("cannot read a command from stdin");
        p += done;
        count -= (size_t)done;
    }
}

static void *sand_arg_slot(size_t size)
{
    char *slot = sand_request + sand_args_end;
    if (sand_args_end + size > SAND_REQUEST_MAX)
        sand_die("too many arguments for one request");
    sand_args_end += size;
    return slot;
}

void rpy_sandbox_arg_i(unsigned long long value)
{
    memcpy(sand_arg_slot(sizeof(value)), &value, sizeof(value));
}

void rpy_sandbox_arg_f(double value)
{
    memcpy(sand_arg_slot(sizeof(value)), &value, sizeof(value));
}

void rpy_sandbox_arg_p(void *value)
{
    memcpy(sand_arg_slot(sizeof(value)), &value, sizeof(value));
}

/* section 3: R, Z, W, M, F, E; returns when the result letter arrives */
static void sand_serve_until_result(const char *signature, char expected,
                                    void *result, size_t result_size)
{
    for (;;) {
        unsigned char command;
        struct { char *addr; size_t size; } region;
        sand_read_all(&command, 1);
        switch (command) {
        case 'R':
            sand_read_all(&region, sizeof(region));
            sand_write_all(region.addr, region.size);
            break;
        case 'Z': {
            ptrdiff_t maxlen;
            size_t length;
            sand_read_all(&region.addr, sizeof(region.addr));
            sand_read_all(&maxlen, sizeof(maxlen));
            length = maxlen < 0 ? strlen(region.addr)
                                : strnlen(region.addr, (size_t)maxlen);
            sand_write_all(&length, sizeof(length));
            sand_write_all(region.addr, length);
            break;
        }
        case 'W':
            sand_read_all(&region, sizeof(region));
            sand_read_all(region.addr, region.size);
            break;
        case 'M': {
            size_t size;
            char *block;
            sand_read_all(&size, sizeof(size));
            block = malloc(size ? size : 1);
            if (block == NULL)
                sand_die("out of memory for a block the controller asked for");
            sand_read_all(block, size);
            sand_write_all(&block, sizeof(block));
            break;
        }
        case 'F': {
            void *block;
            sand_read_all(&block, sizeof(block));
            free(block);
            break;
        }
        case 'E': {
            int value;
            sand_read_all(&value, sizeof(value));
            sand_pending_errno = value;
            break;
        }
        case 'v': case 'i': case 'f': case 'p':
            if (command != (unsigned char)expected) {
                fprintf(stderr, "sandbox: %s: expected a result of type '%c', got '%c'\n",
                        signature, expected, command);
                abort();
            }
            sand_read_all(result, result_size);
            if (sand_pending_errno >= 0) {
                errno = sand_pending_errno;
                sand_pending_errno = -1;
            }
            return;
        default:
            fprintf(stderr, "sandbox: %s: unknown command byte %d from the controller\n",
                    signature, (int)command);
            abort();
        }
    }
}

/* section 2: length byte, signature, arguments -- in one write */
static void sand_call(const char *signature, char expected,
                      void *result, size_t result_size)
{
    size_t length = strlen(signature);
    char *start;
    if (length == 0 || length > 255)
        sand_die("bad signature length");
    start = sand_request + 256 - length - 1;
    start[0] = (char)(unsigned char)length;
    memcpy(start + 1, signature, length);
    sand_write_all(start, sand_args_end - (size_t)(start - sand_request));
    sand_args_end = 256;
    sand_serve_until_result(signature, expected, result, result_size);
}

void rpy_sandbox_res_v(const char *signature)
{
    sand_call(signature, 'v', NULL, 0);
}

unsigned long long rpy_sandbox_res_i(const char *signature)
{
    unsigned long long result;
    sand_call(signature, 'i', &result, sizeof(result));
    return result;
}

double rpy_sandbox_res_f(const char *signature)
{
    double result;
    sand_call(signature, 'f', &result, sizeof(result));
    return result;
}

void *rpy_sandbox_res_p(const char *signature)
{
    void *result;
    sand_call(signature, 'p', &result, sizeof(result));
    return result;
}

/* ---------- section 5: the dump ---------- */

#if defined(__x86_64__)
#  define SAND_MACHINE "x86_64"
#elif defined(__aarch64__)
#  define SAND_MACHINE "aarch64"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#  define SAND_MACHINE "ppc64le"
#elif defined(__powerpc64__)
#  define SAND_MACHINE "ppc64"
#elif defined(__s390x__)
#  define SAND_MACHINE "s390x"
#else
#  error "rplug sandbox: unsupported architecture"
#endif

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#  define SAND_BYTEORDER "big"
#else
#  define SAND_BYTEORDER "little"
#endif

static void sand_dump_and_exit(void)
{
    char extra[160];
    int n = snprintf(extra, sizeof(extra),
                     "\nMachine: %s\nByteorder: %s\nWordsize: %d\nSeccomp: %s\n",
                     SAND_MACHINE, SAND_BYTEORDER, (int)sizeof(void *),
                     RPY_SANDBOX_SECCOMP ? "on" : "off");
    sand_write_all(RPY_SANDBOX_DUMP_TEXT, strlen(RPY_SANDBOX_DUMP_TEXT));
    sand_write_all(extra, (size_t)n);
    _exit(0);
}

/* ---------- section 6: seccomp ---------- */

#if RPY_SANDBOX_SECCOMP

#if defined(__x86_64__)
#  define SAND_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#  define SAND_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#  define SAND_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__powerpc64__)
#  define SAND_AUDIT_ARCH AUDIT_ARCH_PPC64
#elif defined(__s390x__)
#  define SAND_AUDIT_ARCH AUDIT_ARCH_S390X
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#  define SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL
#endif

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#  define SAND_ARG0_LOW (offsetof(struct seccomp_data, args[0]) + 4)
#else
#  define SAND_ARG0_LOW offsetof(struct seccomp_data, args[0])
#endif

#define SAND_FILTER_MAX 96

struct sand_filter {
    struct sock_filter code[SAND_FILTER_MAX];
    unsigned short length;
};

static void sand_emit(struct sand_filter *f, struct sock_filter instruction)
{
    if (f->length >= SAND_FILTER_MAX)
        sand_die("seccomp filter too long");
    f->code[f->length++] = instruction;
}

static void sand_allow(struct sand_filter *f, unsigned int nr)
{
    sand_emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
    sand_emit(f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

/* make syscall nr fail with the given errno instead of killing the child */
static void sand_fail_with(struct sand_filter *f, unsigned int nr, unsigned int error)
{
    sand_emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
    sand_emit(f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
                                              SECCOMP_RET_ERRNO | (error & SECCOMP_RET_DATA)));
}

/* allow syscall nr only when its first argument (an fd) is one of fds[] */
static void sand_allow_on_fds(struct sand_filter *f, unsigned int nr,
                              const unsigned int *fds, unsigned char count)
{
    unsigned char j;
    sand_emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0,
                                              (unsigned char)(count + 3)));
    sand_emit(f, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SAND_ARG0_LOW));
    for (j = 0; j < count; j++)
        sand_emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, fds[j],
                                                  (unsigned char)(count - j), 0));
    sand_emit(f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    sand_emit(f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static void sand_install_seccomp(void)
{
    static const unsigned int commands_fd[] = { SAND_FD_COMMANDS };
    static const unsigned int output_fds[] = { SAND_FD_REQUESTS, 2 };
    struct sand_filter f;
    struct sock_fprog program;
    f.length = 0;

    sand_emit(&f, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                               offsetof(struct seccomp_data, arch)));
    sand_emit(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SAND_AUDIT_ARCH, 1, 0));
    sand_emit(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    sand_emit(&f, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                               offsetof(struct seccomp_data, nr)));
#if defined(__x86_64__)
    /* the x32 ABI shares AUDIT_ARCH_X86_64: refuse its numbers outright */
    sand_emit(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1));
    sand_emit(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
#endif
    sand_allow_on_fds(&f, __NR_read, commands_fd, 1);
    sand_allow_on_fds(&f, __NR_write, output_fds, 2);
    sand_allow(&f, __NR_brk);
    sand_allow(&f, __NR_mmap);
    sand_allow(&f, __NR_munmap);
    sand_allow(&f, __NR_mremap);
    sand_allow(&f, __NR_madvise);
    sand_allow(&f, __NR_mprotect);
    sand_allow(&f, __NR_rt_sigreturn);
    sand_allow(&f, __NR_exit);
    sand_allow(&f, __NR_exit_group);
    /* RPython's debug output asks isatty(2) to choose colours: not a tty */
    sand_fail_with(&f, __NR_ioctl, ENOTTY);
    sand_emit(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));

    program.len = f.length;
    program.filter = f.code;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        sand_die("prctl(PR_SET_NO_NEW_PRIVS) failed; refusing to run unconfined");
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
        sand_die("installing the seccomp filter failed; refusing to run unconfined");
}
#endif /* RPY_SANDBOX_SECCOMP */

__attribute__((constructor))
static void rpy_sandbox_startup(void)
{
    if (getenv("RPY_SANDBOX_DUMP") != NULL)
        sand_dump_and_exit();
#if RPY_SANDBOX_SECCOMP
    /* glibc's malloc initialises itself with getrandom() on first use: let
       it do so now, before the filter forbids that system call */
    {
        void *volatile warm_up = malloc(1);   /* volatile: keep the call */
        free(warm_up);
    }
    sand_install_seccomp();
#endif
}
