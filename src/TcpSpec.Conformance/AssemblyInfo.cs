// Conformance: reading captures of real TCP stacks (pcap, pcapng) and packetdrill scripts, and
// following them through the spec.
namespace TcpSpec.Conformance;
