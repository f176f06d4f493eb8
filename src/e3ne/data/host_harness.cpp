// e3ne host harness: the Verilator model of e3ne_axi_top driven over stdin/stdout, so that
// e3ne.host's driver runs on the simulated shell exactly as on a board (e3ne.host.VerilatorLink).
//
// One command per line; every reply is one line ("E <what>" on failure):
//   W <addr> <value>      AXI4-Lite write                         -> K
//   R <addr>              AXI4-Lite read                          -> V <value>
//   S <n> <b0> .. <bn-1>  n beats to s_axis_in, TLAST on the last  -> K
//   O <n>                 n words from m_axis_out                  -> O <v0> .. <vn-1> (E if TLAST is not on the last)
//   Q                     quit
// Numbers are decimal. Every wait gives up after E3NE_HOST_TIMEOUT cycles (default 10^9).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "Ve3ne_axi_top.h"
#include "verilated.h"

static Ve3ne_axi_top* top;
static uint64_t limit = 1000000000ULL;

static void tick() {
    top->aclk = 0;
    top->eval();
    top->aclk = 1;
    top->eval();
}

// Clock until done() holds before an edge; false after `limit` cycles.
template <typename F>
static bool until(F done) {
    for (uint64_t n = 0; n < limit; ++n) {
        top->eval();
        if (done()) return true;
        tick();
    }
    return false;
}

static void reply_timeout(const char* what) { std::printf("E timeout waiting for %s\n", what); }

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    if (const char* t = std::getenv("E3NE_HOST_TIMEOUT")) limit = std::strtoull(t, nullptr, 10);
    top = new Ve3ne_axi_top;
    top->aresetn = 0;
    top->s_axi_ctrl_wstrb = 0xf;
    for (int i = 0; i < 4; ++i) tick();
    top->aresetn = 1;
    for (int i = 0; i < 4; ++i) tick();

    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string cmd;
        in >> cmd;
        if (cmd == "Q") break;
        if (cmd == "W") {
            uint64_t addr, value;
            in >> addr >> value;
            top->s_axi_ctrl_awaddr = addr;
            top->s_axi_ctrl_wdata = static_cast<uint32_t>(value);
            top->s_axi_ctrl_awvalid = 1;
            top->s_axi_ctrl_wvalid = 1;
            if (!until([] { return top->s_axi_ctrl_awready && top->s_axi_ctrl_wready; })) {
                reply_timeout("awready");
            } else {
                tick();
                top->s_axi_ctrl_awvalid = 0;
                top->s_axi_ctrl_wvalid = 0;
                top->s_axi_ctrl_bready = 1;
                if (until([] { return top->s_axi_ctrl_bvalid; })) {
                    tick();
                    std::printf("K\n");
                } else {
                    reply_timeout("bvalid");
                }
                top->s_axi_ctrl_bready = 0;
            }
        } else if (cmd == "R") {
            uint64_t addr;
            in >> addr;
            top->s_axi_ctrl_araddr = addr;
            top->s_axi_ctrl_arvalid = 1;
            if (!until([] { return top->s_axi_ctrl_arready; })) {
                reply_timeout("arready");
            } else {
                tick();
                top->s_axi_ctrl_arvalid = 0;
                top->s_axi_ctrl_rready = 1;
                if (until([] { return top->s_axi_ctrl_rvalid; })) {
                    uint32_t value = top->s_axi_ctrl_rdata;
                    tick();
                    std::printf("V %u\n", value);
                } else {
                    reply_timeout("rvalid");
                }
                top->s_axi_ctrl_rready = 0;
            }
        } else if (cmd == "S") {
            size_t n;
            in >> n;
            std::vector<unsigned> beats(n);
            for (auto& b : beats) in >> b;
            bool ok = true;
            for (size_t i = 0; i < n && ok; ++i) {
                top->s_axis_in_tdata = beats[i];
                top->s_axis_in_tlast = i + 1 == n;
                top->s_axis_in_tvalid = 1;
                ok = until([] { return top->s_axis_in_tready; });
                if (ok) tick();
            }
            top->s_axis_in_tvalid = 0;
            top->s_axis_in_tlast = 0;
            if (ok) std::printf("K\n");
            else reply_timeout("s_axis_in_tready");
        } else if (cmd == "O") {
            size_t n;
            in >> n;
            std::ostringstream out;
            out << "O";
            bool ok = true, last = false;
            top->m_axis_out_tready = 1;
            for (size_t i = 0; i < n && ok; ++i) {
                ok = until([] { return top->m_axis_out_tvalid; });
                if (ok) {
                    out << ' ' << static_cast<int32_t>(top->m_axis_out_tdata);
                    last = top->m_axis_out_tlast;
                    if (last != (i + 1 == n)) ok = false;
                    tick();
                }
            }
            top->m_axis_out_tready = 0;
            if (ok) std::printf("%s\n", out.str().c_str());
            else if (last) std::printf("E TLAST before the last word\n");
            else std::printf("E no word, or no TLAST on the last word\n");
        } else if (!cmd.empty()) {
            std::printf("E unknown command %s\n", cmd.c_str());
        }
        std::fflush(stdout);
    }
    top->final();
    delete top;
    return 0;
}
