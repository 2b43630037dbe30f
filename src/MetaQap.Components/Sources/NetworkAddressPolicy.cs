using System.Net;
using System.Net.Sockets;

namespace MetaQap.Components.Sources;

/// <summary>
/// Which IP addresses an image URL may reach. Only public unicast addresses are allowed unless private networks
/// are explicitly allowed: loopback, RFC 1918, link-local (cloud metadata lives at 169.254.169.254), CGNAT,
/// unique-local, multicast, unspecified and reserved ranges are the targets of server-side request forgery.
/// </summary>
public static class NetworkAddressPolicy
{
    /// <summary>Why <paramref name="address"/> is not a public address, or null when it is.</summary>
    public static string? RestrictionOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RestrictionOfV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => RestrictionOfV6(address),
            _ => "a non-IP",
        };
    }

    private static string? RestrictionOfV4(byte[] b) => (b[0], b[1]) switch
    {
        (0, _) => "an unspecified",
        (127, _) => "a loopback",
        (10, _) => "a private",
        (172, >= 16 and <= 31) => "a private",
        (192, 168) => "a private",
        (169, 254) => "a link-local",
        (100, >= 64 and <= 127) => "a carrier-grade NAT",
        (192, 0) when b[2] == 0 => "a reserved (IETF)",
        (198, 18 or 19) => "a benchmarking",
        ( >= 224 and <= 239, _) => "a multicast",
        ( >= 240, _) => "a reserved",
        _ => null,
    };

    private static string? RestrictionOfV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "a loopback";
        }

        if (address.Equals(IPAddress.IPv6None))
        {
            return "an unspecified";
        }

        byte[] b = address.GetAddressBytes();
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "a link-local";
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return "a unique-local (private)";
        }

        if (address.IsIPv6Multicast)
        {
            return "a multicast";
        }

        // 64:ff9b::/96 (NAT64) and ::/96 (IPv4-compatible) embed an IPv4 address: judge that one.
        bool nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        bool compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        return nat64 || compatible ? RestrictionOfV4(b[12..]) : null;
    }
}
