"""Two (or three) players in one world: arrivals, say, emote, tell, reply,
chat, who, movement messages, and player text that must not carry escape
codes or color markup to others."""

import re

from ruin import Profile, RuinTestCase



def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


class TwoPlayers(RuinTestCase):
    def setUp(self):
        super().setUp()
        self.srv = self.start_server()
        self.b = self.player("Bryn", profile=Profile.plain())
        self.b.skip()
        self.a = self.player("Ayla", profile=Profile.plain())

    def test_arrival_is_seen(self):
        self.b.read_text("Ayla has entered the game.")
        look = self.a.cmd("look")
        self.assertIn("Bryn", look)

    def test_say(self):
        out = self.a.cmd("say hello there")
        self.assertIn("You say, 'hello there'", out)
        self.b.read_text("Ayla says, 'hello there'")
        # The ' shortcut says too.
        self.a.cmd("'again")
        self.b.read_text("Ayla says, 'again'")

    def test_emote(self):
        self.a.cmd("emote waves slowly.")
        self.b.read_text("Ayla waves slowly.")

    def test_tell_and_reply(self):
        out = self.a.cmd("tell bryn psst, over here")
        self.assertIn("You tell Bryn, 'psst, over here'", out)
        self.b.read_text("Ayla tells you, 'psst, over here'")
        out = self.b.cmd("reply what is it?")
        self.assertIn("You tell Ayla, 'what is it?'", out)
        self.a.read_text("Bryn tells you, 'what is it?'")
        self.assertIn("No one by that name", self.a.cmd("tell nobodyhere hi"))

    def test_chat_reaches_another_room(self):
        self.b.cmd("north")
        self.a.cmd("chat anyone out there?")
        line = self.b.read_until(r"\[Chat\] Ayla: anyone out there\?").group(0)
        self.assertTrue(line)

    def test_who_lists_both(self):
        out = strip_ansi(self.a.cmd("who"))
        self.assertRegex(out, r"\bAyla\b")
        self.assertRegex(out, r"\bBryn\b")

    def test_movement_messages(self):
        self.b.skip()
        self.a.cmd("north")
        self.b.read_text("Ayla leaves north.")
        look = self.a.cmd("look")
        self.assertIn("The Notice Board", look)
        self.assertNotIn("Bryn", look)
        self.a.skip()
        self.b.cmd("north")
        self.a.read_text("Bryn arrives from the south.")
        self.assertIn("Bryn", self.a.cmd("look"))
        self.b.cmd("south")
        self.a.read_text("Bryn leaves south.")

    def test_say_carries_no_escapes_or_markup(self):
        colored = self.player("Cyan", profile=Profile())  # a 256-color client listens too
        self.b.skip()
        self.a.cmd("say \x1b[31mred{Rbold{x\x07 done")
        line = self.b.read_until(r"Ayla says, '[^\r\n]*'").group(0)
        self.assertNotIn(b"\x1b", line)
        self.assertNotIn(b"\x07", line)
        self.assertIn(b"{Rbold{x", line)
        self.assertIn(b"done", line)
        line = colored.read_until(r"Ayla says, [^\r\n]*done").group(0)
        self.assertIn(b"{Rbold{x", line)
        self.assertNotIn(b"\x1b[31m", line)
        self.assertNotIn(b"\x1b[1;31m", line)
        self.assertNotIn(b"\x07", line)

    def test_channel_text_reaches_gmcp_clients_as_plain_text(self):
        listener = self.player("Gmcpa", profile=Profile())  # Char, Room, Comm
        n = len(listener.gmcp)
        self.a.cmd("say {Rhello\x1b[31m")
        say = listener.gmcp_wait("Comm.Channel.Text", since=n)[1]
        self.assertEqual(say["channel"], "say")
        self.assertEqual(say["talker"], "Ayla")
        self.assertEqual(say["message"], "{Rhello")
        self.assertEqual(say["text"], "Ayla says, '{Rhello'")
        n = len(listener.gmcp)
        self.a.cmd("chat over the wall")
        chat = listener.gmcp_wait("Comm.Channel.Text", since=n)[1]
        self.assertEqual((chat["channel"], chat["message"]), ("chat", "over the wall"))
        # Bryn's client did not ask for GMCP Comm: nothing of the kind reaches it.
        self.assertNotIn("Comm.Channel.Text", self.b.gmcp_packages())

    def test_title_and_emote_are_escaped(self):
        self.a.cmd("title {Rthe \x1b[5mBlinking")
        self.a.cmd("emote {Gglows\x1b[0m.")
        line = self.b.read_until(r"Ayla [^\r\n]*glows[^\r\n]*").group(0)
        self.assertNotIn(b"\x1b", line)
        self.assertIn(b"{Gglows", line)
        who = self.b.cmd("who")
        self.assertNotIn("\x1b[5m", who)
        self.assertIn("{Rthe", who)
