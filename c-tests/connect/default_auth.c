/* virConnectAuthPtrDefault: libvirt's terminal prompter. Its callback is called
 * directly, in a child without a controlling terminal whose stdin and stdout are
 * pipes, so that answers (echoed or not) come from stdin. */
#include "check.h"
#include <sys/wait.h>
#include <unistd.h>

static void check_types(void)
{
    static const int expected[] = { VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM,
                                    VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL };
    CHECK(virConnectAuthPtrDefault != NULL);
    CHECK(virConnectAuthPtrDefault->ncredtype == 6);
    CHECK(memcmp(virConnectAuthPtrDefault->credtype, expected, sizeof(expected)) == 0);
    CHECK(virConnectAuthPtrDefault->cb != NULL);
    CHECK(virConnectAuthPtrDefault->cbdata == NULL);
}

static void check_result(virConnectCredentialPtr cred, const char *expected)
{
    CHECK(cred->result != NULL);
    if (cred->result) {
        if (strcmp(cred->result, expected) != 0) {
            fprintf(stderr, "credential '%s': got [%s], expected [%s]\n", cred->prompt, cred->result, expected);
            failures++;
        }
        CHECK(cred->resultlen == strlen(expected));
        free(cred->result);
    }
}

/* Runs in the child: answers come from the pipe on stdin. */
static int ask(void)
{
    virConnectCredential creds[] = {
        { VIR_CRED_AUTHNAME, "Login", "host", "root", NULL, 0 },
        { VIR_CRED_ECHOPROMPT, "Echo", NULL, "fallback", NULL, 0 },
        { VIR_CRED_PASSPHRASE, "Pass", "host", NULL, NULL, 0 },
        { VIR_CRED_NOECHOPROMPT, "Hidden", NULL, "hidden-default", NULL, 0 },
        { VIR_CRED_EXTERNAL, "Ext", "PolicyKit", NULL, NULL, 0 },
        { VIR_CRED_REALM, "Realm", NULL, NULL, NULL, 0 },
    };
    CHECK(virConnectAuthPtrDefault->cb(creds, 6, NULL) == 0);
    check_result(&creds[0], "alice");
    check_result(&creds[1], "fallback");  /* empty line: the default */
    check_result(&creds[2], "s3cret pass");
    check_result(&creds[3], "hidden-default");
    CHECK(creds[4].result == NULL);        /* PolicyKit: nothing to answer */
    check_result(&creds[5], "");           /* end of input, no default */

    /* What it cannot answer fails the whole call. */
    virConnectCredential other = { VIR_CRED_EXTERNAL, "Ext", "other", NULL, NULL, 0 };
    CHECK(virConnectAuthPtrDefault->cb(&other, 1, NULL) == -1);
    virConnectCredential language = { VIR_CRED_LANGUAGE, "Lang", NULL, NULL, NULL, 0 };
    CHECK(virConnectAuthPtrDefault->cb(&language, 1, NULL) == -1);
    fflush(stdout);
    return failures;
}

int main(void)
{
    check_types();
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) {
        perror("pipe");
        return 2;
    }
    pid_t child = fork();
    if (child == 0) {
        /* Without a controlling terminal, no-echo prompts read stdin as libvirt's do. */
        setsid();
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        return ask();
    }
    close(in[0]);
    close(out[1]);
    const char *answers = "alice\n\ns3cret pass\n\n";
    if (write(in[1], answers, strlen(answers)) != (ssize_t)strlen(answers))
        return 2;
    close(in[1]);

    char prompts[256] = "";
    size_t used = 0;
    ssize_t n;
    while ((n = read(out[0], prompts + used, sizeof(prompts) - 1 - used)) > 0)
        used += n;
    prompts[used] = '\0';
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* Each prompt is "PROMPT: " on stdout; EXTERNAL asks nothing. */
    if (strcmp(prompts, "Login: Echo: Pass: Hidden: Realm: ") != 0) {
        fprintf(stderr, "prompts: got [%s]\n", prompts);
        failures++;
    }
    return report("default_auth");
}
