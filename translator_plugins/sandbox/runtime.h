/* The child side of the sandbox protocol (docs/protocol.md), called by the
   stubs that replace every external function of a --sandbox binary. */
#ifndef RPLUG_SANDBOX_RUNTIME_H
#define RPLUG_SANDBOX_RUNTIME_H

RPY_EXTERN void rpy_sandbox_arg_i(unsigned long long value);
RPY_EXTERN void rpy_sandbox_arg_f(double value);
RPY_EXTERN void rpy_sandbox_arg_p(void *value);

RPY_EXTERN void rpy_sandbox_res_v(const char *signature);
RPY_EXTERN unsigned long long rpy_sandbox_res_i(const char *signature);
RPY_EXTERN double rpy_sandbox_res_f(const char *signature);
RPY_EXTERN void *rpy_sandbox_res_p(const char *signature);

#endif
