package org.jqmp.nbd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A byte-level NBD client for protocol tests: it sends exactly what a test says, right or wrong. */
final class RawNbdClient implements AutoCloseable {
    final SocketChannel channel;
    final DataInputStream in;
    final DataOutputStream out;
    int transmissionFlags;
    long size;

    /** One option reply: type and data. */
    record OptionReply(int option, int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** A simple or structured reply chunk. */
    record Reply(boolean structured, int flags, int type, long cookie, int error, byte[] payload) {
    }

    RawNbdClient(Path socket) throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        in = new DataInputStream(Channels.newInputStream(channel));
        out = new DataOutputStream(new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
    }

    /** Reads the greeting and answers with {@code clientFlags}. */
    RawNbdClient greet(int clientFlags) throws IOException {
        if (in.readLong() != Nbd.NBDMAGIC || in.readLong() != Nbd.IHAVEOPT) {
            throw new IOException("not an NBD newstyle server");
        }
        in.readUnsignedShort();
        out.writeInt(clientFlags);
        out.flush();
        return this;
    }

    void option(int option, byte[] data) throws IOException {
        out.writeLong(Nbd.IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    OptionReply optionReply() throws IOException {
        if (in.readLong() != Nbd.OPTION_REPLY_MAGIC) {
            throw new IOException("bad option reply magic");
        }
        int option = in.readInt();
        int type = in.readInt();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new OptionReply(option, type, data);
    }

    static byte[] goData(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(4 + n.length + 2).putInt(n.length).put(n).putShort((short) 0).array();
    }

    static byte[] metaData(String name, String... queries) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = 4 + n.length + 4;
        for (String q : queries) {
            len += 4 + q.length();
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(len).putInt(n.length).put(n).putInt(queries.length);
        for (String q : queries) {
            b.putInt(q.length()).put(q.getBytes(StandardCharsets.UTF_8));
        }
        return b.array();
    }

    /** NBD_OPT_GO on {@code name}: reads INFO replies up to the ACK; false if the server refused. */
    boolean go(String name) throws IOException {
        option(Nbd.OPT_GO, goData(name));
        while (true) {
            OptionReply r = optionReply();
            if (r.type() == Nbd.REP_ACK) {
                return true;
            }
            if (r.type() < 0) {
                return false;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r.data());
            if (r.type() == Nbd.REP_INFO && b.getShort() == Nbd.INFO_EXPORT) {
                size = b.getLong();
                transmissionFlags = b.getShort() & 0xffff;
            }
        }
    }

    /** Greets, negotiates structured replies and base:allocation if asked, then GO. */
    static RawNbdClient connected(Path socket, String name, boolean structured) throws IOException {
        RawNbdClient c = new RawNbdClient(socket).greet(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES);
        if (structured) {
            c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
            c.expectAck();
            c.option(Nbd.OPT_SET_META_CONTEXT, metaData(name, Nbd.BASE_ALLOCATION));
            while (c.optionReply().type() != Nbd.REP_ACK) {
                // the META_CONTEXT reply
            }
        }
        if (!c.go(name)) {
            throw new IOException("GO refused for '" + name + "'");
        }
        return c;
    }

    void expectAck() throws IOException {
        OptionReply r = optionReply();
        if (r.type() != Nbd.REP_ACK) {
            throw new IOException("expected ACK, got 0x" + Integer.toHexString(r.type()) + " " + r.text());
        }
    }

    void request(int flags, int type, long cookie, long offset, long length, byte[] payload) throws IOException {
        out.writeInt(Nbd.REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt((int) length);
        if (payload != null) {
            out.write(payload);
        }
        out.flush();
    }

    /** One reply (a simple one with {@code readLength} data bytes when successful), or one structured chunk. */
    Reply reply(int readLength) throws IOException {
        int magic = in.readInt();
        if (magic == Nbd.SIMPLE_REPLY_MAGIC) {
            int error = in.readInt();
            long cookie = in.readLong();
            byte[] data = new byte[error == 0 ? readLength : 0];
            in.readFully(data);
            return new Reply(false, 0, 0, cookie, error, data);
        }
        if (magic != Nbd.STRUCTURED_REPLY_MAGIC) {
            throw new IOException("bad reply magic 0x" + Integer.toHexString(magic));
        }
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        int error = type == Nbd.REPLY_TYPE_ERROR ? java.nio.ByteBuffer.wrap(payload).getInt() : 0;
        return new Reply(true, flags, type, cookie, error, payload);
    }

    /** True when the server closed the connection (EOF) rather than sending more. */
    boolean closedByServer() throws IOException {
        try {
            in.readByte();
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
