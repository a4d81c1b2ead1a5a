#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The hotplug script of the large and hostile guests' vbd (phy) and vif:
# what Xen's block and vif-bridge scripts end up doing for them, in a
# handful of commands.  libxl gives a hotplug script 10 s; under TCG on a
# loaded host Debian's scripts (bash, the common files, their locking)
# do not always make it, and xl create then fails.
#
#   env XENBUS_PATH, vif (for a vif); argument add|online|remove|offline
case $1 in
add|online) ;;
*) exit 0 ;;
esac
case $XENBUS_PATH in
*backend/vbd/*)
	dev=$(readlink -f "$(xenstore-read "$XENBUS_PATH/params")") &&
	mm=$(stat -L -c %t:%T "$dev") &&
	xenstore-write "$XENBUS_PATH/physical-device" "$mm" \
		"$XENBUS_PATH/physical-device-path" "$dev" || exit 1
	;;
*backend/vif/*)
	d=${XENBUS_PATH%/*}
	vif=${vif:-vif${d##*/}.${XENBUS_PATH##*/}}
	ip link set dev "$vif" master "$(xenstore-read "$XENBUS_PATH/bridge")" &&
	ip link set dev "$vif" up || exit 1
	;;
esac
xenstore-write "$XENBUS_PATH/hotplug-status" connected
