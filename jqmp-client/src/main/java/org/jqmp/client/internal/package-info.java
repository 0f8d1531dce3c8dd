/** The client's transports, connection and event plumbing. Not API: only {@code org.jqmp.client} uses it. */
package org.jqmp.client.internal;
