/* The physical limit of a request/answer protocol over pipes: a parent and
   a child exchange one small message each way, N times.  Prints round trips
   per second. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static double now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 100000;
    int to_child[2], to_parent[2];
    char request[24] = "\x0agetpid()i", answer[9] = "i";
    if (pipe(to_child) || pipe(to_parent))
        return 1;
    if (fork() == 0) {
        for (long i = 0; i < rounds; i++) {
            if (write(to_parent[1], request, 11) != 11) return 1;
            if (read(to_child[0], answer, 9) != 9) return 1;
        }
        return 0;
    }
    double start = now();
    for (long i = 0; i < rounds; i++) {
        if (read(to_parent[0], request, 11) != 11) return 1;
        if (write(to_child[1], answer, 9) != 9) return 1;
    }
    double elapsed = now() - start;
    wait(NULL);
    printf("%.0f\n", rounds / elapsed);
    return 0;
}
