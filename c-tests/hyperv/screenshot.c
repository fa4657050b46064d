/* virDomainScreenshot on Hyper-V: the simulator's RGB565 thumbnail of the VM's
 * display (its own pattern, see thumbnail_pixel in tools/hyperv-sim/methods.py)
 * comes back as a binary PPM at the display's resolution. */
#include "check.h"
#include "sim.h"

struct image {
    unsigned char *data;
    size_t len;
};

static int collect(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    struct image *image = opaque;
    (void)st;
    image->data = realloc(image->data, image->len + nbytes);
    memcpy(image->data + image->len, data, nbytes);
    image->len += nbytes;
    return (int)nbytes;
}

/* The simulator's pixel at (x, y), scaled to 8 bits a channel as libvirt does. */
static void want_pixel(unsigned x, unsigned y, unsigned char rgb[3])
{
    unsigned r = x % 32, g = y % 64, b = (x + y) % 32;
    rgb[0] = (r * 527 + 23) >> 6;
    rgb[1] = (g * 259 + 33) >> 6;
    rgb[2] = (b * 527 + 23) >> 6;
}

static void check_screenshot(virConnectPtr conn, const char *name, unsigned width, unsigned height)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);
    virStreamPtr st = virStreamNew(conn, 0);
    struct image image = {0};
    char header[64];
    size_t start;
    unsigned x, y, bad = 0;
    char *mime = virDomainScreenshot(dom, st, 0, 0);

    CHECK(mime != NULL && strcmp(mime, "image/x-portable-pixmap") == 0);
    free(mime);
    CHECK_INT(virStreamRecvAll(st, collect, &image), 0);
    CHECK_INT(virStreamFinish(st), 0);
    snprintf(header, sizeof(header), "P6\n%u %u\n255\n", width, height);
    start = strlen(header);
    CHECK(image.len == start + (size_t)width * height * 3);
    if (image.len == start + (size_t)width * height * 3) {
        CHECK(memcmp(image.data, header, start) == 0);
        for (y = 0; y < height; y++)
            for (x = 0; x < width; x++) {
                unsigned char rgb[3];
                want_pixel(x, y, rgb);
                bad += memcmp(image.data + start + ((size_t)y * width + x) * 3, rgb, 3) != 0;
            }
        CHECK_INT(bad, 0);
    }
    free(image.data);

    CHECK(virDomainScreenshot(dom, st, 0, 1) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV, "unsupported flags (0x1) in function hypervDomainScreenshot");
    virStreamFree(st);
    virDomainFree(dom);
}

int main(int argc, char **argv)
{
    struct sim sim;
    virConnectPtr conn;
    if (argc < 2) {
        fprintf(stderr, "usage: %s path/to/hyperv_sim.py\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    sim = sim_start(argv[1], NULL);
    conn = sim_open(&sim, NULL);
    /* web01 runs: its display's head is on at 1024x768. db01 is off: the head
     * is off and libvirt asks for 640x480. */
    check_screenshot(conn, "web01", 1024, 768);
    check_screenshot(conn, "db01", 640, 480);
    CHECK_INT(virConnectClose(conn), 0);
    sim_stop(&sim);
    return finish("hyperv-screenshot");
}
