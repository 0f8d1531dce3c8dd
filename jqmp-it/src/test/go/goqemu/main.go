// Command goqemu drives a QMP server through go-qemu's qemu.Domain (Debian's
// golang-github-digitalocean-go-qemu-dev) and prints one "key=value" line per answer,
// for jqmp-it's GoQemuInteropTest to check. Usage: goqemu SOCKET
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/digitalocean/go-qemu/qemu"
	"github.com/digitalocean/go-qemu/qmp"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: goqemu SOCKET")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "goqemu:", err)
		os.Exit(1)
	}
}

func run(socket string) error {
	mon, err := qmp.NewSocketMonitor("unix", socket, 10*time.Second)
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	if err := mon.Connect(); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer mon.Disconnect()
	d, err := qemu.NewDomain(mon, "jqmp")
	if err != nil {
		return fmt.Errorf("domain: %w", err)
	}
	defer d.Close()

	status, err := d.Status()
	if err != nil {
		return fmt.Errorf("Status: %w", err)
	}
	fmt.Printf("status=%s\n", status)

	version, err := d.Version()
	if err != nil {
		return fmt.Errorf("Version: %w", err)
	}
	fmt.Printf("version=%s\n", version)

	commands, err := d.Commands()
	if err != nil {
		return fmt.Errorf("Commands: %w", err)
	}
	fmt.Printf("commands=%s\n", strings.Join(commands, ","))

	// an error reply is an answer too: reported, not fatal
	if devices, err := d.BlockDevices(); err != nil {
		fmt.Printf("blockdevices-error=%v\n", err)
	} else {
		var described []string
		for _, b := range devices {
			described = append(described, fmt.Sprintf("%s:%s:%s:%d", b.Device, b.Inserted.Driver,
				b.Inserted.File, b.Inserted.Image.VirtualSize))
		}
		fmt.Printf("blockdevices=%s\n", strings.Join(described, ","))
	}
	if stats, err := d.BlockStats(); err != nil {
		fmt.Printf("blockstats-error=%v\n", err)
	} else {
		var described []string
		for _, s := range stats {
			described = append(described, fmt.Sprintf("%s:rd=%d/%d:wr=%d/%d", s.Device, s.ReadOperations,
				s.ReadBytes, s.WriteOperations, s.WriteBytes))
		}
		fmt.Printf("blockstats=%s\n", strings.Join(described, ","))
	}

	return events(d)
}

// events subscribes first, then stops and resumes the machine: STOP and RESUME must arrive, in order.
func events(d *qemu.Domain) error {
	stream, done, err := d.Events()
	if err != nil {
		return fmt.Errorf("Events: %w", err)
	}
	defer close(done)
	for _, command := range []string{"stop", "cont"} {
		if _, err := d.Run(qmp.Command{Execute: command}); err != nil {
			return fmt.Errorf("%s: %w", command, err)
		}
		select {
		case e, ok := <-stream:
			if !ok {
				return fmt.Errorf("event stream closed after %s", command)
			}
			fmt.Printf("event=%s seconds=%d\n", e.Event, e.Timestamp.Seconds)
		case <-time.After(10 * time.Second):
			return fmt.Errorf("no event within 10s after %s", command)
		}
	}
	status, err := d.Status()
	if err != nil {
		return fmt.Errorf("Status: %w", err)
	}
	fmt.Printf("status=%s\n", status)
	return nil
}
