/** The {@code jqmp:generate} goal: the QAPI compiler in a Maven build. */
package org.jqmp.maven;
