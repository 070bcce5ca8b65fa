/*
 * Packet capture to a byte stream in pcap format (the kernel sends it to
 * the second serial port when `pcap=1`; tools/pcap turns a capture of that
 * port into a .pcap file).
 *
 * Stream format: plain pcap, written in little-endian byte order.
 * pcap_start writes the 24-byte global header (magic 0xa1b2c3d4, version
 * 2.4, snaplen, LINKTYPE_ETHERNET) once; every frame then follows as a
 * 16-byte record header (seconds and microseconds since boot, captured
 * length, original length) and the captured bytes.  No extra framing: a
 * capture that starts at boot is a valid .pcap file as it is.  A capture
 * that starts mid-stream is resynchronised by tools/pcap, which looks for a
 * run of plausible record headers and prepends a global header.
 *
 * What is captured: a ptype_all tap, so every frame received on any
 * device and every frame handed to a driver (PACKET_OUTGOING clones from
 * dev_queue_xmit).  On a loopback device only the receive side is written,
 * so each looped frame appears once.  Frames are cut at snaplen.
 *
 * Context: the sink is called from softirq (or with bottom halves
 * disabled) and must not sleep; it is called twice per record (header,
 * then data).
 */
#ifndef SYNACK_NET_CORE_PCAP_H
#define SYNACK_NET_CORE_PCAP_H

#include <stddef.h>
#include <stdint.h>

#define PCAP_MAGIC		0xa1b2c3d4u
#define PCAP_LINKTYPE_ETHERNET	1
#define PCAP_GLOBAL_HDR_LEN	24
#define PCAP_RECORD_HDR_LEN	16
#define PCAP_DEFAULT_SNAPLEN	65535u

struct pcap_stats {
	uint64_t records;
	uint64_t bytes;		/* written to the sink, headers included */
	uint64_t truncated;	/* frames cut at snaplen */
};

/* Starts capturing: writes the global header through write(ctx, ...) and
 * registers the tap.  snaplen 0 means PCAP_DEFAULT_SNAPLEN.  0, or -EBUSY
 * if a capture is already running. */
int pcap_start(void (*write)(void *ctx, const void *buf, size_t len), void *ctx,
	       unsigned int snaplen);
void pcap_stop(void);
const struct pcap_stats *pcap_get_stats(void);

#endif
