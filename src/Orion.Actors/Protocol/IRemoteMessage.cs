// Marks the protocol records that cross the network between fleet nodes: ProtocolSerializer is bound to this
// interface, and with unregistered types refused, nothing else a peer sends can be deserialized.
namespace Orion.Actors.Protocol;

public interface IRemoteMessage;
