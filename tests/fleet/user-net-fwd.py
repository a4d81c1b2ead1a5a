#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# user-net-fwd.py LISTEN_PORT SERVER_PORT STATE_DIR: a port forwarded on
# 127.0.0.1 as QEMU's user networking (slirp, boot.sh HOSTFWD) forwards
# it to a guest that goes away in a kexec and comes back in a new boot.
# slirp ends the host's side of each connection itself, so:
#
#   - while STATE_DIR/down exists (the guest is gone), nothing reaches
#     the host: what the server sends or a close is lost, what the client
#     sends is taken and goes nowhere, and the connection stays open;
#     a new connection is taken, unanswered, and closed after CONNECT_WAIT
#     seconds (slirp gives up on the guest's SYN);
#   - once down is gone (the guest's new boot), the connections of an
#     earlier boot stay open and silent until the client sends something:
#     then they close (the new kernel's RST); new ones go to SERVER_PORT.
#
# STATE_DIR/boot holds the boot's number, raised by whoever removes down.
import os
import select
import socket
import sys
import time

CONNECT_WAIT = 20


def boot(state):
    try:
        with open(os.path.join(state, "boot")) as f:
            return f.read().strip()
    except OSError:
        return ""


def main():
    port, server_port, state = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", port))
    lsock.listen(16)
    # client socket -> [server socket or None, boot, give-up time or None]
    conns = {}
    peer = {}
    while True:
        down = os.path.exists(os.path.join(state, "down"))
        now_boot = boot(state)
        socks = [lsock] + list(conns) + list(peer)
        readable, _, _ = select.select(socks, [], [], 0.2)
        for s in readable:
            if s is not lsock and s not in conns and s not in peer:
                continue  # closed with its peer earlier in this round
            # as of now: the guest may have gone while select() waited
            down = os.path.exists(os.path.join(state, "down"))
            if s is lsock:
                c, _ = lsock.accept()
                if down:
                    conns[c] = [None, now_boot, time.monotonic() + CONNECT_WAIT]
                    continue
                try:
                    srv = socket.create_connection(("127.0.0.1", server_port))
                except OSError:
                    c.close()
                    continue
                conns[c] = [srv, now_boot, None]
                peer[srv] = c
                continue
            if s in peer:
                c = peer[s]
                data = s.recv(65536)
                if not data:
                    del peer[s]
                    s.close()
                if down or conns[c][1] != now_boot:
                    continue
                if data:
                    c.sendall(data)
                else:
                    del conns[c]
                    c.close()
                continue
            srv, cboot, _ = conns[s]
            data = s.recv(65536)
            if down:
                if not data:
                    conns.pop(s)
                    s.close()
                continue
            if data and cboot == now_boot and srv is not None:
                srv.sendall(data)
                continue
            conns.pop(s)
            s.close()
            if srv is not None and srv in peer:
                del peer[srv]
                srv.close()
        for c, (srv, _, give_up) in list(conns.items()):
            if give_up is not None and time.monotonic() > give_up:
                del conns[c]
                c.close()


if __name__ == "__main__":
    main()
