"""An example LiveKit voice agent whose face is rendered by the avatar fleet.

The bitHuman plugin's cloud mode posts each session's launch (a LiveKit token for the avatar, the room,
the image) to BITHUMAN_API_URL; docker-compose.yml points it at the fleet's front
(http://front:8080/launch), so a fleet worker joins the room and speaks the agent's audio.

Environment: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET (the room server), OPENAI_API_KEY (the
voice), BITHUMAN_API_URL, BITHUMAN_API_SECRET (sent as the launch's api-secret), AVATAR_IMAGE (an
https URL or a file; empty: the fleet's default avatar).
"""

import os

from livekit.agents import Agent, AgentSession, JobContext, WorkerOptions, cli
from livekit.plugins import bithuman, openai, silero

INSTRUCTIONS = "You are a friendly assistant with a face. Keep your answers short and spoken."


def avatar_session() -> bithuman.AvatarSession:
    image = os.environ.get("AVATAR_IMAGE", "").strip()
    common = {
        "api_url": os.environ["BITHUMAN_API_URL"],
        "api_secret": os.environ.get("BITHUMAN_API_SECRET", ""),
        "model": "expression",
    }
    if image:
        return bithuman.AvatarSession(avatar_image=image, **common)
    # the plugin's cloud mode needs an image or an avatar id; with no image the fleet uses its default avatar
    return bithuman.AvatarSession(avatar_id="default", **common)


async def entrypoint(ctx: JobContext) -> None:
    await ctx.connect()
    session = AgentSession(llm=openai.realtime.RealtimeModel(voice="coral"), vad=silero.VAD.load())
    # the avatar joins first, so the greeting is spoken by a face that is already on screen
    await avatar_session().start(session, room=ctx.room)
    await session.start(agent=Agent(instructions=INSTRUCTIONS), room=ctx.room)
    await session.generate_reply(instructions="Greet the user and offer your help.")


if __name__ == "__main__":
    cli.run_app(WorkerOptions(entrypoint_fnc=entrypoint))
