/* The default URI and aliases: LIBVIRT_DEFAULT_URI, libvirt.conf's uri_default
 * and uri_aliases, VIR_CONNECT_NO_ALIASES, and libvirt.conf's errors.
 *
 * libvirt reads $XDG_CONFIG_HOME/libvirt/libvirt.conf (else ~/.config/...) for
 * ordinary users and only /etc/libvirt/libvirt.conf for root. So the user-file
 * checks run in a child that gives up root when it has it, and root's parent
 * checks that it ignores the user file. */
#include "check.h"
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char home[64];
static char conf_path[4096];

/* Removes what make_config_home made. */
static void remove_config_home(void)
{
    char dir[4096];
    unlink(conf_path);
    snprintf(dir, sizeof(dir), "%s/libvirt", home);
    rmdir(dir);
    rmdir(home);
}

/* Makes a fresh config directory and points XDG_CONFIG_HOME at it. */
static void make_config_home(void)
{
    strcpy(home, "/tmp/ferrovirt-connect-XXXXXX");
    if (!mkdtemp(home)) {
        perror("mkdtemp");
        exit(2);
    }
    setenv("XDG_CONFIG_HOME", home, 1);
    setenv("HOME", home, 1);
    snprintf(conf_path, sizeof(conf_path), "%s/libvirt", home);
    mkdir(conf_path, 0700);
    strcat(conf_path, "/libvirt.conf");
}

static void write_conf(const char *text)
{
    FILE *f = fopen(conf_path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(conf_path);
        exit(2);
    }
}

/* CHECK_OPEN_FAILS with a message that names the config file: PREFIX PATH SUFFIX. */
#define CHECK_OPEN_FAILS_IN_CONF(name, code, domain, prefix, suffix)             \
    do {                                                                         \
        char m_[8192];                                                           \
        snprintf(m_, sizeof(m_), "%s%s%s", prefix, conf_path, suffix);          \
        CHECK_OPEN_FAILS(name, code, domain, m_);                                \
    } while (0)

static const char *aliases =
    "uri_default = \"test:///default\"\n"
    "uri_aliases = [\n"
    "  \"foo=test:///default\",\n"
    "  \"bar_1-x=test:///default?bar\",\n"
    "  \"nested=foo\",\n"
    "]\n";

static void user_config_checks(int ferrovirt)
{
    make_config_home();
    unsetenv("LIBVIRT_DEFAULT_URI");

    if (ferrovirt) {
        /* Nothing names a URI; real libvirt would now probe its daemons. */
        CHECK_OPEN_FAILS(NULL, VIR_ERR_NO_CONNECT, VIR_FROM_NONE, "no connection driver available for <null>");
    }

    write_conf(aliases);
    CHECK_OPEN_URI(NULL, "test:///default");
    CHECK_OPEN_URI("", "test:///default");
    CHECK_OPEN_URI("foo", "test:///default");
    CHECK_OPEN_URI("bar_1-x", "test:///default?bar");
    /* Aliases neither nest nor ignore case. */
    CHECK_OPEN_FAILS("nested", VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                     "no connection driver available for URI 'nested' does not include a driver name");
    CHECK_OPEN_FAILS("FOO", VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                     "no connection driver available for URI 'FOO' does not include a driver name");
    /* VIR_CONNECT_NO_ALIASES. */
    CHECK(virConnectOpenAuth("foo", NULL, VIR_CONNECT_NO_ALIASES) == NULL);
    CHECK_ERROR(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                "no connection driver available for URI 'foo' does not include a driver name");

    /* LIBVIRT_DEFAULT_URI comes before uri_default, and goes through aliases. */
    setenv("LIBVIRT_DEFAULT_URI", "test:///default?env", 1);
    CHECK_OPEN_URI(NULL, "test:///default?env");
    CHECK_OPEN_URI("test:///default", "test:///default");
    setenv("LIBVIRT_DEFAULT_URI", "bar_1-x", 1);
    CHECK_OPEN_URI(NULL, "test:///default?bar");
    setenv("LIBVIRT_DEFAULT_URI", "", 1);
    CHECK_OPEN_URI(NULL, "test:///default");
    unsetenv("LIBVIRT_DEFAULT_URI");

    /* uri_default is itself an alias; the first of duplicate settings counts. */
    write_conf("uri_default = \"foo\"\nuri_default = \"bar\"\nuri_aliases = [ \"foo=test:///default?viadefault\" ]\n");
    CHECK_OPEN_URI(NULL, "test:///default?viadefault");
    CHECK(virConnectOpenAuth(NULL, NULL, VIR_CONNECT_NO_ALIASES) == NULL);
    CHECK_ERROR(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                "no connection driver available for URI '(null)' does not include a driver name");

    /* Malformed alias entries are reported when the search reaches them. */
    write_conf("uri_aliases = [ \"foo=test:///default\", \"bad entry\", \"a.b=x\" ]\n");
    CHECK_OPEN_URI("foo", "test:///default");
    CHECK_OPEN_FAILS("test:///default", VIR_ERR_CONF_SYNTAX, VIR_FROM_URI,
                     "configuration file syntax error: Malformed 'uri_aliases' config entry 'bad entry', "
                     "expected 'alias=uri://host/path'");
    write_conf("uri_aliases = [ \"a.b=x\" ]\n");
    CHECK_OPEN_FAILS("test:///default", VIR_ERR_CONF_SYNTAX, VIR_FROM_URI,
                     "configuration file syntax error: Malformed 'uri_aliases' config entry 'a.b=x', "
                     "aliases may only contain 'a-Z, 0-9, _, -'");

    /* Settings of the wrong type. */
    write_conf("uri_default = 1\n");
    CHECK_OPEN_FAILS_IN_CONF(NULL, VIR_ERR_INTERNAL_ERROR, VIR_FROM_CONF, "internal error: ",
                             ": expected a string for 'uri_default' parameter");
    write_conf("uri_aliases = \"foo=test:///default\"\n");
    CHECK_OPEN_FAILS_IN_CONF("foo", VIR_ERR_INTERNAL_ERROR, VIR_FROM_CONF, "internal error: ",
                             ": expected a string list for 'uri_aliases' parameter");
    write_conf("uri_aliases = [ 1 ]\n");
    CHECK_OPEN_FAILS_IN_CONF("foo", VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF, "configuration file syntax error: ",
                             ": expected a string list for 'uri_aliases' parameter");

    /* A broken file fails every open, even of an explicit URI without aliases. */
    write_conf("uri_default \"test:///default\"\n");
    CHECK_OPEN_FAILS_IN_CONF("test:///default", VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                             "configuration file syntax error: ", ":1: expecting an assignment");
    CHECK(virConnectOpenAuth("test:///default", NULL, VIR_CONNECT_NO_ALIASES) == NULL);
    write_conf("# ok\n\nuri_default = \"x\n");
    CHECK_OPEN_FAILS_IN_CONF("test:///default", VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                             "configuration file syntax error: ", ":3: unterminated string");
    write_conf("a = [ \"x\", \"y\"\n");
    CHECK_OPEN_FAILS_IN_CONF("test:///default", VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                             "configuration file syntax error: ", ":2: list is not closed with ]");
    write_conf("\n");
    CHECK_OPEN_FAILS_IN_CONF("test:///default", VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                             "configuration file syntax error: ", ":2: expecting a name");
    /* Everything else the format allows. */
    write_conf("# comment\na = 'x'; b = -3 # trailing\nc = [ 1, \"two\",\n  [ ] ]\n"
               "d = \"\"\"multi\nline\"\"\"\nuri_default = \"test:///default?all\"\n");
    CHECK_OPEN_URI(NULL, "test:///default?all");
    remove_config_home();
}

/* Root reads /etc/libvirt/libvirt.conf only: the user's aliases do not apply. */
static void root_config_checks(void)
{
    make_config_home();
    write_conf("uri_aliases = [ \"ferrovirtalias=test:///default\" ]\n");
    CHECK_OPEN_FAILS("ferrovirtalias", VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                     "no connection driver available for URI 'ferrovirtalias' does not include a driver name");
    remove_config_home();
}

int main(void)
{
    int ferrovirt = getenv("CONNECT_TESTS_REAL_LIBVIRT") == NULL;
    virSetErrorFunc(NULL, quiet_errors);
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 2;
    }
    if (child == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
            perror("dropping root");
            return 2;
        }
        user_config_checks(ferrovirt);
        return report("config (user)");
    }
    if (geteuid() == 0)
        root_config_checks();
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        failures++;
    return report("config");
}
