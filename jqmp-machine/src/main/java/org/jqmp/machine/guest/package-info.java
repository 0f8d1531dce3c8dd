/**
 * The simulated guest: what runs inside the virtual machine while its virtual CPUs run. Firmware reads the boot
 * disk's first sector, an operating system is ready after a boot delay, and a login-free console on the first
 * serial port takes commands ({@code poweroff}, {@code reboot}, {@code suspend}, {@code panic}, {@code hang},
 * {@code disk}, {@code lock}, ...) that reach the machine through its guest-event entry points, so that every
 * guest-driven run state is reached through a real chardev rather than a test hook.
 *
 * <p>Public for {@code jqmp run} and for the block layer, which gives the guest its disks through
 * {@link org.jqmp.machine.guest.GuestDisks}.
 */
package org.jqmp.machine.guest;
