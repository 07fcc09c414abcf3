using static TcpSpec.TcpMachine;

namespace TcpSpec.Benchmarks.Dispatch;

/// <summary>
/// The baseline of the dispatch benchmarks: the rows of spec/tcp.spec.md written by hand as a
/// plain nested switch, the way one would write the machine without a generator. It calls the
/// very guards, actions and <c>Enter</c> the generated engine calls (internal to the runtime,
/// visible here), so the comparison isolates dispatch. Row ids are the table's; the benchmarks'
/// setup and smoke mode assert it decides every benchmark step exactly as the generated and
/// interpreted engines do (<see cref="EngineAgreement"/>).
/// </summary>
internal static class HandWrittenEngine
{
    public static int Dispatch(TcpState state, TcpEvent ev, ref TcpContext ctx)
    {
        switch (state)
        {
            case TcpState.Closed:
                switch (ev)
                {
                    case TcpEvent.OpenPassive:
                        ListenPassive(ref ctx);
                        return To(ref ctx, TcpState.Listen, 1);
                    case TcpEvent.OpenActive:
                        SelectIss(ref ctx);
                        SendSyn(ref ctx);
                        return To(ref ctx, TcpState.SynSent, 2);
                    case TcpEvent.Send or TcpEvent.Receive or TcpEvent.Close or TcpEvent.Abort:
                        ErrorNoConnection(ref ctx);
                        return To(ref ctx, state, 5);
                    case TcpEvent.Rst or TcpEvent.RstAck:
                        Drop(ref ctx);
                        return To(ref ctx, state, 25);
                    case TcpEvent.Syn or TcpEvent.SynAck or TcpEvent.SynFin or TcpEvent.Ack or TcpEvent.Fin or TcpEvent.FinAck or TcpEvent.Bare:
                        ReplyReset(ref ctx);
                        return To(ref ctx, state, 26);
                    case TcpEvent.RetransmitTimeout:
                        return To(ref ctx, state, 90);
                    case TcpEvent.TimeWaitTimeout:
                        return To(ref ctx, state, 102);
                    case TcpEvent.IcmpSoft or TcpEvent.IcmpHard:
                        return To(ref ctx, state, 105);
                    case TcpEvent.PersistTimeout:
                        return To(ref ctx, state, 112);
                    case TcpEvent.DelayedAckTimeout:
                        return To(ref ctx, state, 114);
                    case TcpEvent.UserTimeout:
                        return To(ref ctx, state, 103);
                }
                return 0;

            case TcpState.Listen:
                switch (ev)
                {
                    case TcpEvent.OpenPassive:
                        ErrorConnectionExists(ref ctx);
                        return To(ref ctx, state, 4);
                    case TcpEvent.OpenActive:
                        BecomeActive(ref ctx);
                        SelectIss(ref ctx);
                        SendSyn(ref ctx);
                        return To(ref ctx, TcpState.SynSent, 3);
                    case TcpEvent.Send:
                        if (ForeignSpecified(ref ctx))
                        {
                            BecomeActive(ref ctx);
                            SelectIss(ref ctx);
                            QueueData(ref ctx);
                            SendSyn(ref ctx);
                            return To(ref ctx, TcpState.SynSent, 6);
                        }
                        ErrorForeignUnspecified(ref ctx);
                        return To(ref ctx, state, 7);
                    case TcpEvent.Receive:
                        QueueReceive(ref ctx);
                        return To(ref ctx, state, 12);
                    case TcpEvent.Close:
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 16);
                    case TcpEvent.Abort:
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 22);
                    case TcpEvent.Rst or TcpEvent.RstAck:
                        Drop(ref ctx);
                        return To(ref ctx, state, 27);
                    case TcpEvent.SynAck or TcpEvent.Ack or TcpEvent.FinAck:
                        ReplyReset(ref ctx);
                        return To(ref ctx, state, 28);
                    case TcpEvent.SynFin when AckBit(ref ctx):
                        ReplyReset(ref ctx);
                        return To(ref ctx, state, 29);
                    case TcpEvent.Syn or TcpEvent.SynFin:
                        AcceptSyn(ref ctx);
                        HoldText(ref ctx);
                        SelectIss(ref ctx);
                        SendSynAck(ref ctx);
                        return To(ref ctx, TcpState.SynReceived, 30);
                    case TcpEvent.Fin or TcpEvent.Bare:
                        Drop(ref ctx);
                        return To(ref ctx, state, 31);
                    case TcpEvent.RetransmitTimeout:
                        return To(ref ctx, state, 90);
                    case TcpEvent.TimeWaitTimeout:
                        return To(ref ctx, state, 102);
                    case TcpEvent.IcmpSoft or TcpEvent.IcmpHard:
                        return To(ref ctx, state, 105);
                    case TcpEvent.PersistTimeout:
                        return To(ref ctx, state, 112);
                    case TcpEvent.DelayedAckTimeout:
                        return To(ref ctx, state, 114);
                    case TcpEvent.UserTimeout:
                        SignalUserTimeout(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 104);
                }
                return 0;

            case TcpState.SynSent:
                switch (ev)
                {
                    case TcpEvent.OpenPassive or TcpEvent.OpenActive:
                        ErrorConnectionExists(ref ctx);
                        return To(ref ctx, state, 4);
                    case TcpEvent.Send:
                        QueueData(ref ctx);
                        return To(ref ctx, state, 9);
                    case TcpEvent.Receive:
                        QueueReceive(ref ctx);
                        return To(ref ctx, state, 12);
                    case TcpEvent.Close:
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 16);
                    case TcpEvent.Abort:
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 22);
                    case TcpEvent.SynAck:
                        if (!AckAcceptable(ref ctx))
                        {
                            ReplyReset(ref ctx);
                            return To(ref ctx, state, 32);
                        }
                        AcceptSyn(ref ctx);
                        ProcessAck(ref ctx);
                        ReceiveText(ref ctx);
                        SendAck(ref ctx);
                        Transmit(ref ctx);
                        return To(ref ctx, TcpState.Established, 36);
                    case TcpEvent.Ack or TcpEvent.FinAck:
                        if (!AckAcceptable(ref ctx))
                        {
                            ReplyReset(ref ctx);
                            return To(ref ctx, state, 32);
                        }
                        Drop(ref ctx);
                        return To(ref ctx, state, 39);
                    case TcpEvent.SynFin:
                        if (AckBit(ref ctx))
                        {
                            if (!AckAcceptable(ref ctx))
                            {
                                ReplyReset(ref ctx);
                                return To(ref ctx, state, 33);
                            }
                            AcceptSyn(ref ctx);
                            ProcessAck(ref ctx);
                            ReceiveText(ref ctx);
                            ReceiveFin(ref ctx);
                            SendAck(ref ctx);
                            Transmit(ref ctx);
                            return To(ref ctx, TcpState.CloseWait, 37);
                        }
                        AcceptSyn(ref ctx);
                        HoldText(ref ctx);
                        SendSynAck(ref ctx);
                        return To(ref ctx, TcpState.SynReceived, 38);
                    case TcpEvent.Syn:
                        AcceptSyn(ref ctx);
                        HoldText(ref ctx);
                        SendSynAck(ref ctx);
                        return To(ref ctx, TcpState.SynReceived, 38);
                    case TcpEvent.RstAck when AckAcceptable(ref ctx):
                        SignalReset(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 34);
                    case TcpEvent.Rst or TcpEvent.RstAck:
                        Drop(ref ctx);
                        return To(ref ctx, state, 35);
                    case TcpEvent.Fin or TcpEvent.Bare:
                        Drop(ref ctx);
                        return To(ref ctx, state, 39);
                    case TcpEvent.RetransmitTimeout:
                        if (RetriesExhausted(ref ctx))
                        {
                            SignalTimeout(ref ctx);
                            DeleteTcb(ref ctx);
                            return To(ref ctx, TcpState.Closed, 91);
                        }
                        if (ReachesR1(ref ctx))
                        {
                            Retransmit(ref ctx);
                            SignalDeliveryProblem(ref ctx);
                            return To(ref ctx, state, 92);
                        }
                        Retransmit(ref ctx);
                        return To(ref ctx, state, 93);
                    case TcpEvent.TimeWaitTimeout:
                        return To(ref ctx, state, 102);
                    case TcpEvent.IcmpHard when !IcmpSeqAcceptable(ref ctx):
                        return To(ref ctx, state, 106);
                    case TcpEvent.IcmpSoft when !IcmpSeqAcceptable(ref ctx):
                        return To(ref ctx, state, 108);
                    case TcpEvent.IcmpHard:
                        SignalUnreachable(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 107);
                    case TcpEvent.IcmpSoft:
                        SignalSoftError(ref ctx);
                        return To(ref ctx, state, 110);
                    case TcpEvent.PersistTimeout:
                        return To(ref ctx, state, 112);
                    case TcpEvent.DelayedAckTimeout:
                        return To(ref ctx, state, 114);
                    case TcpEvent.UserTimeout:
                        SignalUserTimeout(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 104);
                }
                return 0;

            case TcpState.SynReceived:
                switch (ev)
                {
                    case TcpEvent.OpenPassive or TcpEvent.OpenActive:
                        ErrorConnectionExists(ref ctx);
                        return To(ref ctx, state, 4);
                    case TcpEvent.Send:
                        if (CloseQueued(ref ctx))
                        {
                            ErrorClosing(ref ctx);
                            return To(ref ctx, state, 8);
                        }
                        QueueData(ref ctx);
                        return To(ref ctx, state, 9);
                    case TcpEvent.Receive:
                        QueueReceive(ref ctx);
                        return To(ref ctx, state, 12);
                    case TcpEvent.Close:
                        if (CloseQueued(ref ctx))
                        {
                            ErrorClosing(ref ctx);
                            return To(ref ctx, state, 17);
                        }
                        if (SendsQueued(ref ctx))
                        {
                            QueueFin(ref ctx);
                            return To(ref ctx, state, 18);
                        }
                        QueueFin(ref ctx);
                        Transmit(ref ctx);
                        return To(ref ctx, TcpState.FinWait1, 19);
                    case TcpEvent.Abort:
                        SendReset(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 23);
                    case TcpEvent.Rst or TcpEvent.RstAck:
                        if (!SeqAcceptable(ref ctx))
                        {
                            Drop(ref ctx);
                            return To(ref ctx, state, 40);
                        }
                        if (!RstExact(ref ctx))
                        {
                            SendChallengeAck(ref ctx);
                            return To(ref ctx, state, 41);
                        }
                        if (PassiveOpen(ref ctx))
                        {
                            ReturnToListen(ref ctx);
                            return To(ref ctx, TcpState.Listen, 42);
                        }
                        SignalRefused(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 43);
                    case TcpEvent.SynAck when CompletesSimultaneousOpen(ref ctx):
                        // Guards see the endpoint before the row's actions run.
                        if (CloseQueued(ref ctx))
                        {
                            ProcessAck(ref ctx);
                            ReceiveText(ref ctx);
                            Transmit(ref ctx);
                            return To(ref ctx, TcpState.FinWait1, 44);
                        }
                        ProcessAck(ref ctx);
                        ReceiveText(ref ctx);
                        Transmit(ref ctx);
                        return To(ref ctx, TcpState.Established, 45);
                    case TcpEvent.Syn or TcpEvent.SynAck or TcpEvent.SynFin:
                        if (ev != TcpEvent.SynAck && RetransmittedSyn(ref ctx))
                        {
                            ResendSynAck(ref ctx);
                            return To(ref ctx, state, 46);
                        }
                        if (!SeqAcceptable(ref ctx))
                        {
                            SendAck(ref ctx);
                            return To(ref ctx, state, 47);
                        }
                        if (PassiveOpen(ref ctx))
                        {
                            ReturnToListen(ref ctx);
                            return To(ref ctx, TcpState.Listen, 48);
                        }
                        SendChallengeAck(ref ctx);
                        return To(ref ctx, state, 49);
                    case TcpEvent.Ack or TcpEvent.FinAck:
                        if (!SeqAcceptable(ref ctx))
                        {
                            SendAck(ref ctx);
                            return To(ref ctx, state, 50);
                        }
                        if (!AckAcceptable(ref ctx))
                        {
                            ReplyReset(ref ctx);
                            return To(ref ctx, state, 51);
                        }
                        bool closeQueued = CloseQueued(ref ctx);
                        if (ev == TcpEvent.Ack)
                        {
                            ProcessAck(ref ctx);
                            ReceiveText(ref ctx);
                            Transmit(ref ctx);
                            return closeQueued ? To(ref ctx, TcpState.FinWait1, 52) : To(ref ctx, TcpState.Established, 53);
                        }
                        if (!InOrder(ref ctx))
                        {
                            ProcessAck(ref ctx);
                            ReceiveText(ref ctx);
                            SendAck(ref ctx);
                            Transmit(ref ctx);
                            return closeQueued ? To(ref ctx, TcpState.FinWait1, 54) : To(ref ctx, TcpState.Established, 55);
                        }
                        ProcessAck(ref ctx);
                        ReceiveText(ref ctx);
                        ReceiveFin(ref ctx);
                        Transmit(ref ctx);
                        return closeQueued ? To(ref ctx, TcpState.LastAck, 56) : To(ref ctx, TcpState.CloseWait, 57);
                    case TcpEvent.Fin or TcpEvent.Bare:
                        if (!SeqAcceptable(ref ctx))
                        {
                            SendAck(ref ctx);
                            return To(ref ctx, state, 58);
                        }
                        Drop(ref ctx);
                        return To(ref ctx, state, 59);
                    case TcpEvent.RetransmitTimeout:
                        if (RetriesExhausted(ref ctx))
                        {
                            if (PassiveOpen(ref ctx))
                            {
                                ReturnToListen(ref ctx);
                                return To(ref ctx, TcpState.Listen, 94);
                            }
                            SignalTimeout(ref ctx);
                            SendReset(ref ctx);
                            DeleteTcb(ref ctx);
                            return To(ref ctx, TcpState.Closed, 95);
                        }
                        if (ReachesR1(ref ctx))
                        {
                            Retransmit(ref ctx);
                            SignalDeliveryProblem(ref ctx);
                            return To(ref ctx, state, 96);
                        }
                        Retransmit(ref ctx);
                        return To(ref ctx, state, 97);
                    case TcpEvent.TimeWaitTimeout:
                        return To(ref ctx, state, 102);
                    case TcpEvent.IcmpSoft or TcpEvent.IcmpHard when !IcmpSeqAcceptable(ref ctx):
                        return To(ref ctx, state, 108);
                    case TcpEvent.IcmpHard:
                        SignalSoftError(ref ctx);
                        return To(ref ctx, state, 109);
                    case TcpEvent.IcmpSoft:
                        SignalSoftError(ref ctx);
                        return To(ref ctx, state, 110);
                    case TcpEvent.PersistTimeout:
                        return To(ref ctx, state, 112);
                    case TcpEvent.DelayedAckTimeout:
                        return To(ref ctx, state, 114);
                    case TcpEvent.UserTimeout:
                        SignalUserTimeout(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 104);
                }
                return 0;
            case TcpState.Established:
            case TcpState.FinWait1:
            case TcpState.FinWait2:
            case TcpState.CloseWait:
            case TcpState.Closing:
            case TcpState.LastAck:
            case TcpState.TimeWait:
                switch (ev)
                {
                    case TcpEvent.OpenPassive or TcpEvent.OpenActive:
                        ErrorConnectionExists(ref ctx);
                        return To(ref ctx, state, 4);
                    case TcpEvent.Send:
                        if (state is TcpState.Established or TcpState.CloseWait)
                        {
                            QueueData(ref ctx);
                            Transmit(ref ctx);
                            return To(ref ctx, state, 10);
                        }
                        ErrorClosing(ref ctx);
                        return To(ref ctx, state, 11);
                    case TcpEvent.Receive:
                        if (state is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)
                        {
                            Deliver(ref ctx);
                            return To(ref ctx, state, 13);
                        }
                        if (DataAvailable(ref ctx))
                        {
                            Deliver(ref ctx);
                            return To(ref ctx, state, 14);
                        }
                        ErrorClosing(ref ctx);
                        return To(ref ctx, state, 15);
                    case TcpEvent.Close:
                        switch (state)
                        {
                            case TcpState.Established:
                                QueueFin(ref ctx);
                                Transmit(ref ctx);
                                return To(ref ctx, TcpState.FinWait1, 19);
                            case TcpState.CloseWait:
                                QueueFin(ref ctx);
                                Transmit(ref ctx);
                                return To(ref ctx, TcpState.LastAck, 20);
                            default:
                                ErrorClosing(ref ctx);
                                return To(ref ctx, state, 21);
                        }
                    case TcpEvent.Abort:
                        if (state is TcpState.Closing or TcpState.LastAck or TcpState.TimeWait)
                        {
                            DeleteTcb(ref ctx);
                            return To(ref ctx, TcpState.Closed, 24);
                        }
                        SendReset(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 23);
                    case TcpEvent.Rst or TcpEvent.RstAck:
                        if (!SeqAcceptable(ref ctx))
                        {
                            Drop(ref ctx);
                            return To(ref ctx, state, 60);
                        }
                        if (!RstExact(ref ctx))
                        {
                            SendChallengeAck(ref ctx);
                            return To(ref ctx, state, 61);
                        }
                        if (state is TcpState.Closing or TcpState.LastAck or TcpState.TimeWait)
                        {
                            DeleteTcb(ref ctx);
                            return To(ref ctx, TcpState.Closed, 63);
                        }
                        SignalReset(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 62);
                    case TcpEvent.Syn or TcpEvent.SynAck or TcpEvent.SynFin:
                        SendChallengeAck(ref ctx);
                        return To(ref ctx, state, 64);
                    case TcpEvent.Fin or TcpEvent.Bare:
                        if (!SeqAcceptable(ref ctx))
                        {
                            SendAck(ref ctx);
                            return To(ref ctx, state, 65);
                        }
                        Drop(ref ctx);
                        return To(ref ctx, state, 66);
                    case TcpEvent.Ack or TcpEvent.FinAck:
                        return Acknowledgment(state, ev, ref ctx);
                    case TcpEvent.RetransmitTimeout:
                        if (state is TcpState.FinWait2 or TcpState.TimeWait)
                            return To(ref ctx, state, 90);
                        if (RetriesExhausted(ref ctx))
                        {
                            SignalTimeout(ref ctx);
                            SendReset(ref ctx);
                            DeleteTcb(ref ctx);
                            return To(ref ctx, TcpState.Closed, 98);
                        }
                        if (ReachesR1(ref ctx))
                        {
                            Retransmit(ref ctx);
                            SignalDeliveryProblem(ref ctx);
                            return To(ref ctx, state, 99);
                        }
                        Retransmit(ref ctx);
                        return To(ref ctx, state, 100);
                    case TcpEvent.TimeWaitTimeout:
                        if (state == TcpState.TimeWait)
                        {
                            DeleteTcb(ref ctx);
                            return To(ref ctx, TcpState.Closed, 101);
                        }
                        return To(ref ctx, state, 102);
                    case TcpEvent.IcmpSoft or TcpEvent.IcmpHard:
                        if (state == TcpState.TimeWait)
                            return To(ref ctx, state, 105);
                        if (!IcmpSeqAcceptable(ref ctx))
                            return To(ref ctx, state, 108);
                        SignalSoftError(ref ctx);
                        return To(ref ctx, state, ev == TcpEvent.IcmpHard ? 109 : 110);
                    case TcpEvent.PersistTimeout:
                        if (state is TcpState.Established or TcpState.FinWait1 or TcpState.CloseWait)
                        {
                            ProbeWindow(ref ctx);
                            return To(ref ctx, state, 111);
                        }
                        return To(ref ctx, state, 112);
                    case TcpEvent.DelayedAckTimeout:
                        if (state is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)
                        {
                            SendAck(ref ctx);
                            return To(ref ctx, state, 113);
                        }
                        return To(ref ctx, state, 114);
                    case TcpEvent.UserTimeout:
                        SignalUserTimeout(ref ctx);
                        DeleteTcb(ref ctx);
                        return To(ref ctx, TcpState.Closed, 104);
                }
                return 0;
        }
        return 0;
    }

    /// <summary>ACK and FIN-ACK in the synchronized states (RFC 9293 §3.10.7.4 first, fifth, seventh, eighth).</summary>
    private static int Acknowledgment(TcpState state, TcpEvent ev, ref TcpContext ctx)
    {
        bool fin = ev == TcpEvent.FinAck;
        if (state == TcpState.TimeWait)
        {
            if (fin && RetransmittedFin(ref ctx))
            {
                SendAck(ref ctx);
                RestartTimeWait(ref ctx);
                return To(ref ctx, TcpState.TimeWait, 67);
            }
            if (!SeqAcceptable(ref ctx))
            {
                SendAck(ref ctx);
                return To(ref ctx, state, 68);
            }
            if (fin)
            {
                SendAck(ref ctx);
                RestartTimeWait(ref ctx);
                return To(ref ctx, state, 89);
            }
            Drop(ref ctx);
            return To(ref ctx, state, 88);
        }
        if (!SeqAcceptable(ref ctx))
        {
            SendAck(ref ctx);
            return To(ref ctx, state, 68);
        }
        if (AckOfUnsent(ref ctx))
        {
            SendAck(ref ctx);
            return To(ref ctx, state, 69);
        }
        if (AckTooOld(ref ctx))
        {
            SendChallengeAck(ref ctx);
            return To(ref ctx, state, 70);
        }
        switch (state)
        {
            case TcpState.Established:
                if (!fin)
                {
                    ProcessAck(ref ctx);
                    ReceiveText(ref ctx);
                    Transmit(ref ctx);
                    return To(ref ctx, state, 71);
                }
                if (!InOrder(ref ctx))
                {
                    ProcessAck(ref ctx);
                    ReceiveText(ref ctx);
                    SendAck(ref ctx);
                    Transmit(ref ctx);
                    return To(ref ctx, state, 72);
                }
                ProcessAck(ref ctx);
                ReceiveText(ref ctx);
                ReceiveFin(ref ctx);
                Transmit(ref ctx);
                return To(ref ctx, TcpState.CloseWait, 73);
            case TcpState.FinWait1:
            {
                bool finAcked = FinAcked(ref ctx);
                if (!fin)
                {
                    ProcessAck(ref ctx);
                    ReceiveText(ref ctx);
                    if (finAcked) return To(ref ctx, TcpState.FinWait2, 74);
                    Transmit(ref ctx);
                    return To(ref ctx, state, 75);
                }
                if (!InOrder(ref ctx))
                {
                    ProcessAck(ref ctx);
                    ReceiveText(ref ctx);
                    SendAck(ref ctx);
                    if (finAcked) return To(ref ctx, TcpState.FinWait2, 76);
                    Transmit(ref ctx);
                    return To(ref ctx, state, 77);
                }
                ProcessAck(ref ctx);
                ReceiveText(ref ctx);
                ReceiveFin(ref ctx);
                if (finAcked)
                {
                    StartTimeWait(ref ctx);
                    return To(ref ctx, TcpState.TimeWait, 78);
                }
                Transmit(ref ctx);
                return To(ref ctx, TcpState.Closing, 79);
            }
            case TcpState.FinWait2:
                if (!fin)
                {
                    ProcessAck(ref ctx);
                    ReceiveText(ref ctx);
                    return To(ref ctx, state, 80);
                }
                if (!InOrder(ref ctx))
                {
                    ProcessAck(ref ctx);
                    ReceiveText(ref ctx);
                    SendAck(ref ctx);
                    return To(ref ctx, state, 81);
                }
                ProcessAck(ref ctx);
                ReceiveText(ref ctx);
                ReceiveFin(ref ctx);
                StartTimeWait(ref ctx);
                return To(ref ctx, TcpState.TimeWait, 82);
            case TcpState.CloseWait:
                ProcessAck(ref ctx);
                Transmit(ref ctx);
                return To(ref ctx, state, 83);
            case TcpState.Closing:
                if (FinAcked(ref ctx))
                {
                    ProcessAck(ref ctx);
                    StartTimeWait(ref ctx);
                    return To(ref ctx, TcpState.TimeWait, 84);
                }
                ProcessAck(ref ctx);
                Transmit(ref ctx);
                return To(ref ctx, state, 85);
            default: // LAST-ACK
                if (FinAcked(ref ctx))
                {
                    ProcessAck(ref ctx);
                    DeleteTcb(ref ctx);
                    return To(ref ctx, TcpState.Closed, 86);
                }
                ProcessAck(ref ctx);
                Transmit(ref ctx);
                return To(ref ctx, state, 87);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int To(ref TcpContext ctx, TcpState next, int row)
    {
        Enter(ref ctx, next, row);
        return row;
    }
}
