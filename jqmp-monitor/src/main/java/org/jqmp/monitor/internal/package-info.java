/** The monitor's machinery: sessions, dispatch, events, transports. Internal to jqmp-monitor. */
package org.jqmp.monitor.internal;
