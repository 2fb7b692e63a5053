/*
 * Tern guest kernel: the table of built-in user programs, and the demo
 * that runs some of them when the command line asks for no test.
 */
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/process.h"
#include "user/programs.h"

static const struct user_program programs[] = {
    { "hello",   user_hello },
    { "counter", user_counter },
    { "divzero", user_divzero },
    { "kpeek",   user_kpeek },
    { "spawner", user_spawner },
    { "probe",   user_probe },
    { "fpu",     user_fpu },
    { "spin",    user_spin },
    { "sysbench", user_sysbench },
};

const struct user_program *user_program_find(const char *name)
{
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
        if (strcmp(programs[i].name, name) == 0)
            return &programs[i];
    return NULL;
}

/* Starts one demo process and says so. */
static void demo_spawn(const char *name, uint64_t arg)
{
    int pid = process_spawn(name, arg, 0);

    if (pid < 0)
        panic("demo: cannot start %s: %d", name, pid);
    printk("demo: started process %d (%s)\n", pid, name);
}

void process_demo(void)
{
    unsigned int n;

    printk("demo: user processes, cooperative round robin; two of them misbehave\n");
    demo_spawn("hello", 0);
    demo_spawn("counter", 3);
    demo_spawn("divzero", 0);
    demo_spawn("kpeek", VIRT_BASE);
    demo_spawn("spawner", 0);
    n = process_wait_all();
    printk("demo: all %u processes have exited after %lu scheduler rounds; "
           "the kernel is still here\n", n, ticks);
}
