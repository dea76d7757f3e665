package io.corral.agent.containment;

import io.corral.agent.sys.Sys;
import io.corral.agent.sys.SysCallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The device allow-list on cgroup v2, where there is no devices controller: an eBPF program of type
 * cgroup-device, attached to the server's group, that the kernel asks on every open and mknod of a
 * device node by a process of the group. It allows exactly {@link Containment#DEVICES} and refuses
 * everything else (EPERM). Built here instruction by instruction, like the seccomp filter; attached
 * with BPF_F_ALLOW_MULTI so that programs of groups above (systemd's) keep applying as well.
 */
public final class DeviceProgram {
    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_TYPE_CGROUP_DEVICE = 15,
            BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    private static final int DEV_BLOCK = 1, DEV_CHAR = 2;
    // eBPF opcodes: load a 16/32-bit field of the context, jump if not equal to a constant, set r0, exit
    private static final int LDX_H = 0x69, LDX_W = 0x61, JNE_K = 0x55, MOV64_K = 0xb7, EXIT = 0x95;
    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4;

    private DeviceProgram() {
    }

    /** One allowed device: its type, major and minor (-1: any minor). */
    record Rule(int type, int major, int minor) {
        /** From a devices-cgroup rule such as "c 1:3 rwm" or "c 136:* rwm". */
        static Rule parse(String rule) {
            String[] f = rule.split("[ :]");
            return new Rule(f[0].equals("b") ? DEV_BLOCK : DEV_CHAR, Integer.parseInt(f[1]),
                    f[2].equals("*") ? -1 : Integer.parseInt(f[2]));
        }
    }

    /**
     * The program: r2 = device type (low half of access_type), r3 = major, r4 = minor; for each
     * rule, on a match return 1 (allow); after the last, return 0 (refuse).
     */
    static byte[] instructions(List<Rule> rules) {
        List<long[]> p = new ArrayList<>();
        p.add(insn(LDX_H, R2, R1, 0, 0));  // bpf_cgroup_dev_ctx.access_type & 0xffff: BPF_DEVCG_DEV_*
        p.add(insn(LDX_W, R3, R1, 4, 0));  // .major
        p.add(insn(LDX_W, R4, R1, 8, 0));  // .minor
        for (Rule r : rules) {
            int checks = r.minor() < 0 ? 2 : 3, skip = checks + 2; // past this rule's checks and its "allow"
            p.add(insn(JNE_K, R2, 0, skip - 1, r.type()));
            p.add(insn(JNE_K, R3, 0, skip - 2, r.major()));
            if (r.minor() >= 0) {
                p.add(insn(JNE_K, R4, 0, skip - 3, r.minor()));
            }
            p.add(insn(MOV64_K, R0, 0, 0, 1));
            p.add(insn(EXIT, 0, 0, 0, 0));
        }
        p.add(insn(MOV64_K, R0, 0, 0, 0));
        p.add(insn(EXIT, 0, 0, 0, 0));
        ByteBuffer code = ByteBuffer.allocate(p.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] i : p) {
            code.put((byte) i[0]).put((byte) ((i[2] << 4) | i[1])).putShort((short) i[3]).putInt((int) i[4]);
        }
        return code.array();
    }

    private static long[] insn(int opcode, int dst, int src, int offset, int imm) {
        return new long[] {opcode, dst, src, offset, imm};
    }

    /** Loads the allow-list program and attaches it to the cgroup v2 group at the directory. */
    public static void attach(Path group) {
        List<Rule> rules = Containment.DEVICES.keySet().stream().map(Rule::parse).toList();
        jnr.ffi.Runtime rt = Sys.runtime();
        byte[] code = instructions(rules);
        Pointer insns = Memory.allocateDirect(rt, code.length);
        insns.put(0, code, 0, code.length);
        byte[] licence = "Apache-2.0\0".getBytes(StandardCharsets.US_ASCII);
        Pointer licencePointer = Memory.allocateDirect(rt, licence.length);
        licencePointer.put(0, licence, 0, licence.length);
        Pointer log = Memory.allocateDirect(rt, 4096);
        Pointer load = Memory.allocateDirect(rt, 128, true);
        load.putInt(0, BPF_PROG_TYPE_CGROUP_DEVICE);
        load.putInt(4, code.length / 8);
        load.putAddress(8, insns.address());
        load.putAddress(16, licencePointer.address());
        load.putInt(24, 1);       // log level: the verifier says why, should it refuse
        load.putInt(28, 4096);
        load.putAddress(32, log.address());
        int program;
        try {
            program = Sys.bpf(BPF_PROG_LOAD, load, 128, "bpf(PROG_LOAD cgroup device)");
        } catch (SysCallException e) {
            throw new IllegalStateException(e.getMessage() + ": " + log.getString(0), e);
        }
        int dir = Sys.open(group.toString(), Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_CLOEXEC);
        try {
            Pointer attach = Memory.allocateDirect(rt, 32, true);
            attach.putInt(0, dir);
            attach.putInt(4, program);
            attach.putInt(8, BPF_CGROUP_DEVICE);
            attach.putInt(12, BPF_F_ALLOW_MULTI);
            Sys.bpf(BPF_PROG_ATTACH, attach, 32, "bpf(PROG_ATTACH " + group + ")");
        } finally {
            Sys.close(dir);
            Sys.close(program); // the attachment holds the program for as long as the group lives
        }
    }
}
