using System.Net;

namespace MetaQap.Components.Sources;

/// <summary>
/// Which addresses the image client may connect to: public ones always; non-public ones
/// (<see cref="NetworkAddressPolicy"/>) only when private networks are allowed, or when the address lies in one of
/// the explicitly allowed networks.
/// </summary>
public sealed record ConnectPolicy(bool AllowPrivateNetworks, IReadOnlyList<IPNetwork> AllowedNetworks)
{
    /// <summary>Why a connection to <paramref name="address"/> is refused ("a loopback", …), or null when it is not.</summary>
    public string? RefusalOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (AllowPrivateNetworks)
        {
            return null;
        }

        IPAddress plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        string? restriction = NetworkAddressPolicy.RestrictionOf(plain);
        return restriction is not null && !AllowedNetworks.Any(network => network.Contains(plain)) ? restriction : null;
    }
}
